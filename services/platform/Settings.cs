using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dit.Platform;

/// <summary>
/// Reads settings strictly: a value that is present but wrong stops the service with a message naming the setting
/// (<see cref="InvalidSettingException"/>), instead of falling back to the default without a word or failing on first
/// use. An absent setting takes its default.
/// </summary>
public static class Settings
{
    public static int Int(IConfiguration configuration, string key, int fallback, int min, int max) =>
        configuration[key] is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new InvalidSettingException(key, $"a whole number from {min} to {max}", text);

    public static TimeSpan Seconds(IConfiguration configuration, string key, double fallback, double min = 0.01, double max = 7 * 24 * 3600) =>
        TimeSpan.FromSeconds(configuration[key] is not { } text ? fallback
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
            : throw new InvalidSettingException(key, $"a number of seconds from {min} to {max}", text));

    public static bool Bool(IConfiguration configuration, string key, bool fallback) =>
        configuration[key] is not { } text ? fallback
        : bool.TryParse(text, out var value) ? value
        : throw new InvalidSettingException(key, "true or false", text);

    public static string OneOf(IConfiguration configuration, string key, string fallback, params string[] allowed) =>
        configuration[key] is not { } text ? fallback
        : allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase))
          ?? throw new InvalidSettingException(key, $"one of {string.Join(", ", allowed)}", text);

    public static Uri AbsoluteUri(IConfiguration configuration, string key, string fallback, params string[] schemes)
    {
        var text = configuration[key] ?? fallback;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme)
            ? uri
            : throw new InvalidSettingException(key, $"an absolute {string.Join(" or ", schemes)} URL", Redacted(text));
    }

    /// <summary>A URL as a message may show it: any password replaced.</summary>
    private static string Redacted(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':') ? text.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***") : text;

    /// <summary>
    /// Reads every setting of a service when the host starts — before its migrations and consumers — through
    /// <paramref name="check"/>, which resolves the service's settings objects: one bad value and the host does not start.
    /// </summary>
    public static IServiceCollection AddSettingsCheck(this IServiceCollection services, Action<IServiceProvider> check)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(provider => new SettingsCheck(provider, check)));
        return services;
    }

    private sealed class SettingsCheck(IServiceProvider provider, Action<IServiceProvider> check) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            check(provider);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public sealed class InvalidSettingException(string key, string expected, string value)
    : Exception($"Setting {key} must be {expected} (was '{value}').")
{
    public string Key { get; } = key;
}
