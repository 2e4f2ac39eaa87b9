using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;
using NodaTime;

namespace Dit.EndToEnd.Tests;

public sealed class ReferralLifecycleTests
{
    private static object Referral(string reference, bool currentRisk = false) => new
    {
        referrerReference = reference,
        patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = "alex@example.org" },
        availability = new[] { new { day = "Wednesday", from = "09:00", to = "12:00" } },
        earliestStart = SystemClock.Instance.GetCurrentInstant().InUtc().Date.PlusDays(7).ToString("yyyy-MM-dd", null),
        risk = new { currentRisk, notes = currentRisk ? "active intent" : "" },
        consent = new { email = true, sms = false },
    };

    [Fact]
    public async Task A_withdrawn_referral_cancels_the_course_and_the_patient_gets_the_cancellation()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(7, 0), new LocalTime(15, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var (coordinator, _) = await system.NewCoordinatorAsync("Clinic coordinator");
        var posted = await referrer.PostAsJsonAsync("/api/referrals", Referral("W-1"));
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
        var courseId = booked["booking"]!["courseId"]!.GetValue<string>();
        await system.WaitForMailsAsync(1);

        var withdrawn = await referrer.PostAsJsonAsync($"{posted.Headers.Location}/withdraw", new { reason = "Patient moved away" });

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var mails = await system.WaitForMailsAsync(2);
        var cancel = MimeMessage.Parse(mails[1]).Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("CANCEL", cancel.Parameters["method"]);
        var course = await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}");
        Assert.Equal("cancelled", course!["status"]!.GetValue<string>());
        Assert.All(course["sessions"]!.AsArray(), s => Assert.Equal("cancelled", s!["status"]!.GetValue<string>()));
        var referral = await referrer.GetFromJsonAsync<JsonObject>(posted.Headers.Location);
        Assert.Equal("cancelled", referral!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_referral_reporting_risk_is_booked_only_after_a_coordinator_accepts_it()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(7, 0), new LocalTime(15, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var (coordinator, _) = await system.NewCoordinatorAsync("Clinic coordinator");

        var posted = await referrer.PostAsJsonAsync("/api/referrals", Referral("RISK-1", currentRisk: true));
        Assert.Equal("needs-review", (await posted.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        var waiting = await Waiting.ForAsync(() => coordinator.GetFromJsonAsync<JsonArray>("/api/reviews"), w => w!.Count > 0, TimeSpan.FromSeconds(30));
        var referralId = Assert.Single(waiting!)!["referralId"]!.GetValue<string>();
        Assert.Equal("needs-review", (await referrer.GetFromJsonAsync<JsonObject>(posted.Headers.Location))!["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync($"/api/reviews/{referralId}/accept", null)).StatusCode);

        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
        Assert.Equal(16, booked["booking"]!["sessions"]!.AsArray().Count);
        Assert.Single(await system.WaitForMailsAsync(1));
    }

    [Fact]
    public async Task Coordinator_keys_cannot_post_referrals_and_referrer_keys_cannot_use_the_coordinator_API()
    {
        await using var system = await DistributedSystem.StartAsync();
        var (_, referrerKey) = await system.NewReferrerWithKeyAsync("North Talking Therapies");
        var (_, coordinatorKey) = await system.NewCoordinatorAsync("Clinic coordinator");

        var coordinatorPosting = await DistributedSystem.ClientFor(system.Referrals, coordinatorKey).PostAsJsonAsync("/api/referrals", Referral("K-1"));
        var referrerReviewing = await DistributedSystem.ClientFor(system.Scheduling, referrerKey).GetAsync("/api/reviews");
        var referrerReadingCourses = await DistributedSystem.ClientFor(system.Scheduling, referrerKey).GetAsync($"/api/courses/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, coordinatorPosting.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, referrerReviewing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, referrerReadingCourses.StatusCode);
    }

    [Fact]
    public async Task Each_service_is_ready_with_its_database_and_RabbitMQ()
    {
        await using var system = await DistributedSystem.StartAsync();

        foreach (var host in new[] { system.Referrals, system.Scheduling, system.Notifications })
        {
            using var client = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(host) };
            var ready = await client.GetAsync("/health/ready");
            var body = (await ready.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            // Its database, the bus, and every one of its queues with a consumer (the watchdog's finding); and for referrals,
            // the FHIR validator's warm-up (degraded until warm, which does not hold the service back).
            Assert.Equal(3, body["checks"]!.AsObject().Count(c => c.Key != "fhir-validator" && c.Value!["status"]!.GetValue<string>() == "Healthy"));
            Assert.NotNull(body["checks"]!["consumers"]);
            Assert.Equal(host == system.Referrals, body["checks"]!["fhir-validator"] is not null);
        }
    }
}
