using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dit.Testing;

namespace Dit.EndToEnd.Tests;

/// <summary>Issue 14, point 8: traces and metrics over OTLP, across the three services as separate processes.</summary>
[Collection(nameof(ProcessesCollection))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task One_trace_runs_from_the_referral_post_through_booking_to_the_invite_and_the_metrics_say_what_happened()
    {
        await using var collector = OtlpCollector.Start();
        await using var system = await ProcessSystem.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Telemetry:Otlp:Endpoint"] = collector.Url,
            ["Telemetry:ExportSeconds"] = "1",
        });
        await system.AddTherapistsAsync(1, 10);
        var traceId = ActivityTraceId.CreateRandom();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(ProcessSystem.Referral("trace", 1)) };
        post.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var posted = await system.Referrer.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await ReferralToInviteTests.PollUntilAsync(system.Referrer, posted.Headers.Location!, "booked");
        Assert.Single(await system.Smtp.WaitForMessagesAsync(1));

        // Each hop of the referral's way, in the service that made it: the post, each outbox publish, each consumer, the mail.
        string[] hops =
        [
            "dit-referrals: POST /api/referrals/", "dit-referrals: outbox publish ReferralForBooking",
            "dit-scheduling: dit-scheduling-booking-book-course process", "dit-scheduling: outbox publish CourseBooked",
            "dit-notifications: dit-notifications-invites-send-invite process", "dit-notifications: send invite mail",
        ];
        var seen = await collector.WaitForTraceAsync(traceId.ToHexString(), hops);
        Assert.True(hops.All(seen.Contains), $"Missing: {string.Join(", ", hops.Except(seen))}\nSeen:\n{string.Join("\n", seen.Order())}");

        var metrics = await MetricNamesAsync(collector, "dit.referrals.accepted", "dit.courses.booked", "dit.outbox.oldest_unsent_age");
        Assert.Contains("dit.referrals.accepted", metrics);
        Assert.Contains("dit.courses.booked", metrics);
        Assert.Contains("dit.outbox.oldest_unsent_age", metrics);

        // Ids and counts only: nothing that names the patient leaves the services.
        var everything = string.Concat(collector.Exports("/v1/traces").Concat(collector.Exports("/v1/metrics")).Select(Encoding.UTF8.GetString));
        Assert.DoesNotContain(ProcessSystem.EmailOf("trace", 1), everything);
        Assert.DoesNotContain("9434765919", everything);
        Assert.DoesNotContain("Smith", everything);
    }

    /// <summary>Which of <paramref name="names"/> appear in the metric exports (within 15 s).</summary>
    private static async Task<HashSet<string>> MetricNamesAsync(OtlpCollector collector, params string[] names)
    {
        return await Waiting.ForAsync(() =>
        {
            var text = string.Concat(collector.Exports("/v1/metrics").Select(Encoding.UTF8.GetString));
            return Task.FromResult(names.Where(text.Contains).ToHashSet());
        }, found => found.Count == names.Length, TimeSpan.FromSeconds(15));
    }
}
