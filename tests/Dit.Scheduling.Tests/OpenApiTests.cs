using Dit.Testing;

namespace Dit.Scheduling.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_scheduling_API_is_described_with_the_coordinator_key_on_every_coordinator_endpoint_and_matches_docs()
    {
        await using var app = await SchedulingApp.StartAsync("sqlite");

        var served = await ApiDocument.ServedAndCheckedInAsync(app.CreateClient(), "scheduling");

        var operations = served["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/"))
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!))).ToList();
        Assert.Contains(operations, o => o.Path == "/api/courses/{id}/cancel" && o.Method == "post");
        Assert.Contains(operations, o => o.Path == "/api/appointments/{id}/alternatives");
        Assert.DoesNotContain(operations, o => o.Path.StartsWith("/api/referrals"));
        Assert.All(operations, o => Assert.Equal("ApiKey", o.Operation["security"]?[0]?.AsObject().Single().Key));
    }
}
