using System.Net.Http.Headers;
using Dapper;
using Dit.Referrals;
using Dit.Referrals.Keys;
using Dit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Referrals.Tests;

/// <summary>The referrals service over its real HTTP surface, on a fresh SQLite or PostgreSQL database.</summary>
public sealed class ReferralsApp(Dictionary<string, string?> settings) : ServiceFactory<Program>(settings)
{
    public static async Task<ReferralsApp> StartAsync(string provider)
    {
        var settings = await SettingsAsync("Referrals", provider);
        var app = new ReferralsApp(settings);
        _ = app.Server; // start it, applying migrations
        return app;
    }

    public ReferralsDatabase Database => Services.GetRequiredService<ReferralsDatabase>();

    /// <summary>A client with the API key of a newly added referring organisation.</summary>
    public async Task<HttpClient> NewReferrerAsync(string name = "Test Talking Therapies")
    {
        var (_, key) = await Referrers.AddAsync(Database, name, SystemClock.Instance.GetCurrentInstant());
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"select count(*) from {table}");
    }
}
