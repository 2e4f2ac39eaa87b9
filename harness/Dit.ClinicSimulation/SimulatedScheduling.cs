using System.Net.Http.Json;
using Dapper;
using Dit.Scheduling;
using Dit.Scheduling.Waitlist;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dit.ClinicSimulation;

/// <summary>
/// The real scheduling service in this process: its HTTP API (a coordinator's key), the in-memory bus, a SQLite file,
/// and a clock the simulation moves. The periodic waitlist retry is left to the simulation (once a simulated day);
/// the retry when capacity frees runs as in production.
/// </summary>
public sealed class SimulatedScheduling(Dictionary<string, string?> settings) : ServiceFactory<Program>(settings)
{
    public static async Task<SimulatedScheduling> StartAsync(SettableClock clock, Dictionary<string, string?> extra)
    {
        var settings = await TestDatabases.ConfigureAsync("Scheduling", "sqlite");
        settings["Bus:Transport"] = "InMemory";
        settings["Scheduling:Waitlist:RetrySeconds"] = "86400";
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["RateLimit:PermitLimit"] = "100000000";
        foreach (var (setting, value) in extra) settings[setting] = value;
        // Outside a test project the factory cannot find the service's folder by itself; the build output serves.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_DIT_SCHEDULING", AppContext.BaseDirectory);
        var app = new SimulatedScheduling(settings) { Clock = clock };
        _ = app.Server;
        // The simulation is the whole clinic: its administrator (therapists, leave), coordinators and clinical lead.
        var (_, key) = await Dit.Scheduling.Coordinators.CoordinatorRoster.Holders.AddAsync(app.Database, "Simulation", clock.GetCurrentInstant(),
            roles: ["coordinator", "administrator", "clinical-lead"]);
        app.Coordinator = app.CreateClient();
        app.Coordinator.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        return app;
    }

    public HttpClient Coordinator { get; private set; } = null!;

    public SchedulingDatabase Database => Services.GetRequiredService<SchedulingDatabase>();

    public IBus Bus => Services.GetRequiredService<IBus>();

    public WaitlistRetry WaitlistRetry => Services.GetServices<IHostedService>().OfType<WaitlistRetry>().Single();

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    /// <summary>Waits until the service has consumed <paramref name="count"/> messages for <paramref name="consumer"/>.</summary>
    public async Task WaitForInboxAsync(string consumer, long count)
    {
        for (var i = 0; i < 6000; i++)
        {
            if (await ScalarAsync<long>("select count(*) from inbox where consumer = @consumer", new { consumer }) >= count) return;
            await Task.Delay(5);
        }
        throw new TimeoutException($"{consumer} consumed fewer than {count} messages in 30 s.");
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object body)
    {
        var response = await Coordinator.PostAsJsonAsync(path, body);
        return response;
    }
}
