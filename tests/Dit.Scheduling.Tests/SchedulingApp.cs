using Dapper;
using Dit.Scheduling.Therapists;
using Dit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>
/// The scheduling service with the in-memory bus on a fresh SQLite or PostgreSQL database, on a settable clock: by
/// default Monday 4 January 2027, 09:00 UTC, whatever the machine's date, so that the tests' 2027 dates stay ahead.
/// </summary>
public sealed class SchedulingApp(Dictionary<string, string?> settings) : ServiceFactory<Program>(settings)
{
    public static readonly Instant DefaultNow = Instant.FromUtc(2027, 1, 4, 9, 0);

    public static async Task<SchedulingApp> StartAsync(string provider, NodaTime.IClock? clock = null, Dictionary<string, string?>? extra = null)
    {
        var app = await CreateAsync(provider, clock, extra);
        _ = app.Server;
        return app;
    }

    /// <summary>The service, not yet started (a test of settings that should stop it starts it with <see cref="ServiceFactory{T}.RefusedStart"/>).</summary>
    public static async Task<SchedulingApp> CreateAsync(string provider, NodaTime.IClock? clock = null, Dictionary<string, string?>? extra = null)
    {
        var settings = await SettingsAsync("Scheduling", provider);
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new SchedulingApp(settings) { Clock = clock ?? new SettableClock(DefaultNow) };
    }

    public SchedulingDatabase Database => Services.GetRequiredService<SchedulingDatabase>();

    public async Task<HttpClient> NewCoordinatorAsync(string name = "Coordinator")
    {
        var (_, key) = await Coordinators.CoordinatorRoster.Holders.AddAsync(Database, name, SystemClock.Instance.GetCurrentInstant());
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    /// <summary>A client with a script's key holding <paramref name="roles"/> (staff roles; <c>keys add --roles</c>).</summary>
    public async Task<HttpClient> NewStaffAsync(string name, params string[] roles)
    {
        var (_, key) = await Coordinators.CoordinatorRoster.Holders.AddAsync(Database, name, SystemClock.Instance.GetCurrentInstant(), roles: roles);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    public Task<Guid> AddTherapistAsync(string name, LocalTime from, LocalTime to, int maxPerWeek = 30) =>
        TherapistRoster.AddAsync(Database, name, maxPerWeek,
            Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WeeklyHours(d, from, to)),
            SystemClock.Instance.GetCurrentInstant());

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

    /// <summary>Waits until <paramref name="sql"/> counts at least <paramref name="expected"/>, or 20 s pass.</summary>
    public Task<long> WaitForCountAsync(string sql, long expected, object? parameters = null) =>
        Waiting.ForAsync(() => ScalarAsync<long>(sql, parameters), count => count >= expected, TimeSpan.FromSeconds(20));
}
