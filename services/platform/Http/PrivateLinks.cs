using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Dit.Platform.Http;

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
