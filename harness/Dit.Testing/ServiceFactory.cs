using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dit.Testing;

/// <summary>
/// One service over its real HTTP surface (<see cref="WebApplicationFactory{TEntryPoint}"/>) on a
/// fresh SQLite or PostgreSQL database and the in-memory bus, with <paramref name="settings"/> on top.
/// </summary>
public abstract class ServiceFactory<TEntryPoint>(Dictionary<string, string?> settings) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>Settings for <paramref name="service"/> ("Referrals", …) on a new database of <paramref name="provider"/>.</summary>
    protected static async Task<Dictionary<string, string?>> SettingsAsync(string service, string provider)
    {
        var settings = await TestDatabases.ConfigureAsync(service, provider);
        settings["Bus:Transport"] = "InMemory";
        return settings;
    }

    /// <summary>Every line the service logs, at every level.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The clock the service runs on; a test may set it before the service starts, then move it.</summary>
    public NodaTime.IClock? Clock { get; init; }

    /// <summary>
    /// Starts a service that should refuse to start, and returns what it said about why: the exception and every line it
    /// logged (null when it started). The test host sometimes reports a failed start as its own disposed service provider,
    /// so the host's own error log line is the reliable witness.
    /// </summary>
    public string? RefusedStart()
    {
        try { _ = Server; }
        catch (Exception error) { return $"{error}\n{string.Join('\n', Logs.Lines)}"; }
        return null;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        // Every level to the capture (the privacy tests read it); only warnings and errors to the console, where the
        // test log would otherwise bury a failure under tens of thousands of debug lines.
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs)
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning));
        if (Clock is not null)
            builder.ConfigureTestServices(services => services.AddSingleton(Clock));
    }
}
