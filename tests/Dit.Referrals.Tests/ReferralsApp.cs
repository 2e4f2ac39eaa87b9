using System.Net.Http.Headers;
using Dapper;
using Dit.Referrals.Keys;
using Dit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Referrals.Tests;

/// <summary>The referrals service over its real HTTP surface, on a fresh SQLite or PostgreSQL database.</summary>
public sealed class ReferralsApp(Dictionary<string, string?> settings) : ServiceFactory<Program>(settings)
{
    public Dictionary<string, string?> Settings { get; } = settings;

    public static async Task<ReferralsApp> StartAsync(string provider, params (string Key, string Value)[] extra)
    {
        var app = await CreateAsync(provider, extra);
        _ = app.Server; // start it, applying migrations
        return app;
    }

    /// <summary>The service on a new database, not started yet.</summary>
    public static async Task<ReferralsApp> CreateAsync(string provider, params (string Key, string Value)[] extra)
    {
        var settings = await SettingsAsync("Referrals", provider);
        foreach (var (key, value) in extra) settings[key] = value;
        return new ReferralsApp(settings);
    }

    public ReferralsDatabase Database => Services.GetRequiredService<ReferralsDatabase>();

    /// <summary>A client with the API key of a newly added referring organisation.</summary>
    public async Task<HttpClient> NewReferrerAsync(string name = "Test Talking Therapies")
    {
        var (_, key) = await Referrers.Holders.AddAsync(Database, name, SystemClock.Instance.GetCurrentInstant());
        return ClientWithKey(key);
    }

    /// <summary>A client with the key of a newly added referring organisation set up for BaRS: its ODS code, and where its news goes.</summary>
    public async Task<HttpClient> NewBarsReferrerAsync(string name = "Test Talking Therapies", string odsCode = BarsMessages.OdsCode, string? newsEndpoint = null)
    {
        var (id, key) = await Referrers.Holders.AddAsync(Database, name, SystemClock.Instance.GetCurrentInstant());
        await Dit.Referrals.Fhir.BarsReferrers.SetAsync(Database, id, new(odsCode, newsEndpoint));
        return ClientWithKey(key);
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Waits until <paramref name="check"/> holds, or 20 s pass.</summary>
    public static Task<bool> EventuallyAsync(Func<Task<bool>> check) => Waiting.EventuallyAsync(check, TimeSpan.FromSeconds(20));

    public async Task<long> CountAsync(string table)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"select count(*) from {table}");
    }
}
