using Microsoft.Extensions.Configuration;

namespace Dit.Testing;

/// <summary>The two databases every data test runs on.</summary>
public static class TestDatabases
{
    /// <summary>Configuration for a fresh, empty database of <paramref name="service"/> on <paramref name="provider"/>.</summary>
    public static async Task<Dictionary<string, string?>> ConfigureAsync(string service, string provider)
    {
        var connectionString = provider == "sqlite"
            ? $"Data Source={Path.Combine(Path.GetTempPath(), $"dit-test-{service.ToLowerInvariant()}-{Guid.NewGuid():N}.db")}"
            : await (await PostgresServer.SharedAsync()).CreateDatabaseAsync(service.ToLowerInvariant());
        return new Dictionary<string, string?>
        {
            [$"{service}:Database:Provider"] = provider,
            [$"{service}:Database:ConnectionString"] = connectionString,
        };
    }

    public static async Task<IConfiguration> ConfigurationAsync(string service, string provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(await ConfigureAsync(service, provider)).Build();
}
