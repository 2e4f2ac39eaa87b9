using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dit.Scheduling.Tests;

public sealed class NoThirdPartyTests
{
    [Fact]
    public async Task The_bus_sends_no_usage_telemetry_to_MassTransits_vendor()
    {
        // Seen in the clinic simulation before this was switched off: "Failed to report usage telemetry (usage-tracking.masstransit.io:443)".
        await using var app = await SchedulingApp.StartAsync("sqlite");

        Assert.False(app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("usage telemetry", StringComparison.OrdinalIgnoreCase));
    }
}
