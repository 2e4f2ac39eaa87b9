using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;

namespace Dit.Referrals.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Ready_reports_the_database_and_the_bus_and_turns_503_when_the_database_is_gone_while_live_stays_200()
    {
        await using var app = await ReferralsApp.StartAsync("postgres");
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var body = (await ready.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
        Assert.Equal("Healthy", body["checks"]!["ReferralsDatabase"]!["status"]!.GetValue<string>());
        Assert.Contains(body["checks"]!.AsObject(), c => c.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase));

        await (await PostgresServer.SharedAsync()).DropDatabaseAsync(app.Settings["Referrals:Database:ConnectionString"]!);

        var down = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("Unhealthy", (await down.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!["ReferralsDatabase"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
