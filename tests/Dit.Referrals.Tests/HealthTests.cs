using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;

namespace Dit.Referrals.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Ready_reports_the_database_the_bus_and_the_FHIR_validators_warm_up_and_turns_503_when_the_database_is_gone_while_live_stays_200()
    {
        await using var app = await ReferralsApp.StartAsync("postgres");
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var body = (await ready.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body["checks"]!["ReferralsDatabase"]!["status"]!.GetValue<string>());
        Assert.Contains(body["checks"]!.AsObject(), c => c.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        // The FHIR validator's warm-up is on the report: degraded (still 200) while it reads the profiles, then healthy.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (body["checks"]!["fhir-validator"]!["status"]!.GetValue<string>() != "Healthy" && DateTime.UtcNow < deadline)
        {
            Assert.Equal("Degraded", body["checks"]!["fhir-validator"]!["status"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            await Task.Delay(500);
            ready = await client.GetAsync("/health/ready");
            body = (await ready.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());

        await (await PostgresServer.SharedAsync()).DropDatabaseAsync(app.Settings["Referrals:Database:ConnectionString"]!);

        var down = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("Unhealthy", (await down.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!["ReferralsDatabase"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
