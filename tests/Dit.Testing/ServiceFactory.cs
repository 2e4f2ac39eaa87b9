using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
