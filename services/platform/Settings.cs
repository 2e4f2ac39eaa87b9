using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dit.Platform;

/// <summary>
/// Settings as options: each section bound to its class (<c>BindConfiguration</c>) and checked when the host starts
/// (<c>ValidateOnStart</c>). A value that is present but wrong stops the service with a message naming the setting and
/// what it may be (<see cref="InvalidSettingException"/>), instead of falling back to the default without a word or
/// failing on first use; an absent setting keeps the class's default. Each property says what it allows —
/// <see cref="RangeAttribute"/> for numbers, <see cref="AllowedValuesAttribute"/>, <see cref="AbsoluteUrlAttribute"/>,
/// <see cref="SettingPatternAttribute"/> — and a class whose values depend on each other checks them together
/// (<see cref="ICheckedSettings"/>).
/// </summary>
public static class Settings
{
    /// <summary>Binds <paramref name="section"/> to <typeparamref name="T"/>, checked at start; T itself is served too (its bound value).</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section) where T : class
    {
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>()
            .Configure<IConfiguration>((_, configuration) => Check(configuration.GetSection(section), typeof(T)))
            .BindConfiguration(section)
            .PostConfigure(settings => (settings as ICheckedSettings)?.CheckTogether(section))
            .ValidateOnStart();
    }

    /// <summary>A section's settings, checked and bound, for what must be known while the services are registered.</summary>
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var values = configuration.GetSection(section);
        Check(values, typeof(T));
        var settings = values.Get<T>() ?? new T();
        (settings as ICheckedSettings)?.CheckTogether(section);
        return settings;
    }

    private static void Check(IConfigurationSection section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{section.Path}:{property.Name}";
            var kind = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (kind.IsClass && kind != typeof(string))
            {
                Check(section.GetSection(property.Name), kind);
                continue;
            }
            if (section[property.Name] is not { } text) continue;
            var range = property.GetCustomAttribute<RangeAttribute>();
            var expected = CheckOne(property, kind, text, range);
            if (expected is not null)
                throw new InvalidSettingException(key, expected, property.GetCustomAttribute<AbsoluteUrlAttribute>() is null ? text : Redacted(text));
        }
    }

    /// <returns>What the setting must be, when <paramref name="text"/> is not that; else null.</returns>
    private static string? CheckOne(PropertyInfo property, Type kind, string text, RangeAttribute? range)
    {
        var (min, max) = (Convert.ToDouble(range?.Minimum ?? double.MinValue, CultureInfo.InvariantCulture),
            Convert.ToDouble(range?.Maximum ?? double.MaxValue, CultureInfo.InvariantCulture));
        string Bounds() => $"from {Invariant(range?.Minimum)} to {Invariant(range?.Maximum)}";
        if (kind == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
                ? null : $"a whole number {Bounds()}";
        if (kind == typeof(double))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
                ? null : property.Name.EndsWith("Seconds", StringComparison.Ordinal) ? $"a number of seconds {Bounds()}" : $"a number {Bounds()}";
        if (kind == typeof(bool))
            return bool.TryParse(text, out _) ? null : "true or false";
        if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            return allowed.Values.Any(a => text.Equals(a as string, StringComparison.OrdinalIgnoreCase)) ? null : $"one of {string.Join(", ", allowed.Values)}";
        if (property.GetCustomAttribute<AbsoluteUrlAttribute>() is { } url)
            return string.IsNullOrWhiteSpace(text) && url.Optional
                   || Uri.TryCreate(text, UriKind.Absolute, out var uri) && url.Schemes.Contains(uri.Scheme)
                ? null : $"an absolute {string.Join(" or ", url.Schemes)} URL";
        if (property.GetCustomAttribute<SettingPatternAttribute>() is { } pattern)
            return Regex.IsMatch(text, pattern.Pattern) ? null : pattern.Expected;
        return null;
    }

    private static string Invariant(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>A URL as a message may show it: any password replaced.</summary>
    private static string Redacted(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':') ? text.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***") : text;
}
