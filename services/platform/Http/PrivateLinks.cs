using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Dit.Platform.Http;

/// <summary>
/// The routes whose path carries a private link's secret (the calendar feed's token, the questionnaire's), each declared
/// once by the service that maps it (<c>ServiceDefinition.PrivateLinks</c>). Every log line and log scope of the process, at
/// any level, and every traced request has the secret replaced (<see cref="Redacted"/>): ASP.NET Core's own
/// "Request starting …/calendar/{token}.ics" lines included, whatever <c>Logging:LogLevel</c> says.
/// </summary>
public sealed class PrivateLinkRoutes
{
    public const string Redacted = "[private]";

    private readonly List<string> _prefixes = [];
    private Regex _secret = new("(?!)");

    public IReadOnlyList<string> Prefixes => _prefixes;

    internal void Add(string prefix)
    {
        if (_prefixes.Contains(prefix)) return;
        _prefixes.Add(prefix);
        // The path segment after any declared prefix, wherever it appears in a text (a URL, a path, a message).
        _secret = new Regex("(" + string.Join("|", _prefixes.Select(p => Regex.Escape(p.TrimEnd('/')) + "/")) + @")[^/\s?#""'<>]+",
            RegexOptions.CultureInvariant);
    }

    public bool IsPrivate(string? path) => path is not null && _prefixes.Any(p => path.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary><paramref name="text"/> with every private link's secret replaced by <see cref="Redacted"/>.</summary>
    public string Redact(string text) => _secret.Replace(text, "$1" + Redacted);

    public bool Carries(string? text) => text is not null && _secret.IsMatch(text);
}

public static class PrivateLinks
{
    /// <summary>
    /// Declares the routes whose next path segment is a secret (<c>/calendar</c> → <c>/calendar/{token}.ics</c>), and makes
    /// every logger of the process redact them.
    /// </summary>
    public static IServiceCollection AddPrivateLinkRoutes(this IServiceCollection services, IEnumerable<string> prefixes)
    {
        var routes = new PrivateLinkRoutes();
        foreach (var prefix in prefixes) routes.Add(prefix);
        services.AddSingleton(routes);
        // Every ILogger<T> comes from the one ILoggerFactory: wrapping it reaches every provider, however and whenever added.
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(provider), routes)));
        return services;
    }

    private sealed class RedactingLoggerFactory(ILoggerFactory inner, PrivateLinkRoutes routes) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), routes);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner, PrivateLinkRoutes routes) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            Values(state) is { } values ? inner.BeginScope(values) : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            var values = Values(state);
            if (values is null && !routes.Carries(message))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var redacted = routes.Redact(message);
            inner.Log(logLevel, eventId, values ?? [new("{OriginalFormat}", redacted)], exception, (_, _) => redacted);
        }

        /// <summary>A structured state with its values' secrets replaced, or null when it carries none.</summary>
        private List<KeyValuePair<string, object?>>? Values<TState>(TState state)
        {
            if (state is not IEnumerable<KeyValuePair<string, object?>> pairs) return null;
            var list = pairs.ToList();
            if (!list.Any(p => routes.Carries(p.Value?.ToString()))) return null;
            return list.Select(p => routes.Carries(p.Value?.ToString()) ? new KeyValuePair<string, object?>(p.Key, routes.Redact(p.Value!.ToString()!)) : p).ToList();
        }
    }
}
