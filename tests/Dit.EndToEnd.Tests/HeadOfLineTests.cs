using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;
using Xunit.Abstractions;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Issue 20's head-of-line test, over RabbitMQ with each service its own process on PostgreSQL: one referral whose
/// earliest start is in year 9999 and one whose address the mail and calendar libraries refuse — both data from before the
/// door was shut, set in the referrals database by hand — go through at the same time as twenty good referrals. Every
/// good one is booked and invited within 2 s of the slowest of twenty posted just before with no poison about (so the
/// test measures waiting for someone else's trouble, not the machine's speed); the poisoned ones are in front of the coordinators with their
/// reasons; only the unbookable message waits in an error queue, and nothing is retried for ever.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class HeadOfLineTests(ITestOutputHelper output)
{
    private const string Run = "hol";

    [Fact]
    public async Task A_poisoned_referral_and_a_poisoned_address_among_twenty_good_referrals_delay_nobody()
    {
        await using var system = await ProcessSystem.StartAsync();
        await system.AddTherapistsAsync(5, 10);   // room for the warm-up, two runs of twenty and the poisoned address
        // Not while the referrals process builds its FHIR validator's snapshots, which could fall in either run.
        await system.FhirValidatorWarmAsync();
        // A running service, not a cold one: five referrals booked and invited first, so what is measured below is the
        // poison's effect, not the processes' first bookings.
        await ProcessSystem.PostReferralsAsync(system.Referrer, "holwarm", 0, 5, 1, 0);
        await Waiting.UntilAsync(() => system.InviteTimes("holwarm").Count == 5, TimeSpan.FromSeconds(60), "the warm-up's invites");

        // Two referrals reporting risk wait for a coordinator; meanwhile their stored details are spoiled.
        var poisonedDate = await PostAsync(system, 100, currentRisk: true);
        var poisonedMail = await PostAsync(system, 101, currentRisk: true);
        await Waiting.UntilAsync(async () => (await system.Coordinator.GetFromJsonAsync<JsonArray>("/api/reviews"))!.Count == 2,
            TimeSpan.FromSeconds(30), "both risk referrals on the review list");
        await system.ExecuteAsync("Referrals", $"""
            update referrals set request_json = regexp_replace(request_json, '"earliestStart":"[0-9-]+"', '"earliestStart":"9999-11-01"')
            where referrer_reference = '{ProcessSystem.ReferenceOf(Run, 100)}'
            """);
        await system.ExecuteAsync("Referrals", $"""
            update referrals set request_json = replace(request_json, '{ProcessSystem.EmailOf(Run, 101)}', 'a\"b@evil.org')
            where referrer_reference = '{ProcessSystem.ReferenceOf(Run, 101)}'
            """);

        // The same twenty good referrals, first with no poison about.
        var control = await PostAndTimeAsync(system, "holcontrol");
        output.WriteLine($"with no poison: {string.Join(", ", control.Select(l => $"{l.TotalMilliseconds:0}"))} ms from post to invite");

        // Accepted, they go for booking just as twenty good referrals are posted, one every 250 ms.
        Assert.Equal(HttpStatusCode.NoContent, (await system.Coordinator.PostAsync($"/api/reviews/{poisonedDate}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await system.Coordinator.PostAsync($"/api/reviews/{poisonedMail}/accept", null)).StatusCode);
        var poisoned = await PostAndTimeAsync(system, Run);
        output.WriteLine($"with the poisoned two: {string.Join(", ", poisoned.Select(l => $"{l.TotalMilliseconds:0}"))} ms from post to invite");
        // The rule is about waiting for someone else's trouble (the probe saw 48.7 s), not about this machine's speed: each
        // good referral is invited within 2 s of the slowest of the same twenty posted with no poison about.
        var slowestControl = control.Max();
        Assert.All(poisoned, latency => Assert.True(latency <= slowestControl + TimeSpan.FromSeconds(2),
            $"{latency.TotalMilliseconds:0} ms from post to invite, against {slowestControl.TotalMilliseconds:0} ms at most without the poison"));

        // The unbookable referral: back on the review list with the reason, and needs-review to its referrer.
        await Waiting.UntilAsync(async () => (await StatusAsync(system, poisonedDate)) == "needs-review", TimeSpan.FromSeconds(30), "needs-review");
        var review = Assert.Single((await system.Coordinator.GetFromJsonAsync<JsonArray>("/api/reviews"))!)!;
        Assert.Equal(poisonedDate.ToString(), review["referralId"]!.GetValue<string>());
        Assert.Contains("9999-11-01", review["attention"]!.GetValue<string>());
        // The unusable address: booked, never written to, listed under mail not delivered with the reason.
        Assert.Equal("booked", await StatusAsync(system, poisonedMail));
        await Waiting.UntilAsync(async () => (await system.Coordinator.GetFromJsonAsync<JsonArray>("/api/mail/undeliverable"))!.Count == 1,
            TimeSpan.FromSeconds(30), "the unusable address listed");
        var undeliverable = (await system.Coordinator.GetFromJsonAsync<JsonArray>("/api/mail/undeliverable"))![0]!;
        Assert.Equal(poisonedMail.ToString(), undeliverable["referralId"]!.GetValue<string>());
        Assert.Contains("cannot be used", undeliverable["reason"]!.GetValue<string>());
        Assert.DoesNotContain(system.InviteTimes(Run).Keys, to => to.Contains("evil.org"));

        // Only the unbookable message waits in an error queue; nothing was handed back for a later try.
        var deadLettered = await system.DeadLetteredAsync();
        Assert.Equal(1L, Assert.Single(deadLettered, q => q.Key.EndsWith("book-course_error")).Value);
        Assert.Single(deadLettered);
        foreach (var service in new[] { "Referrals", "Scheduling", "Notifications" })
            Assert.Equal(0, await system.ExecuteAsync(service, "update outbox set destination = destination where destination is not null"));
    }

    /// <summary>
    /// Posts twenty good referrals of <paramref name="run"/>, one every 250 ms, and returns how long each took from its post
    /// to its invite reaching the SMTP server (each also checked booked).
    /// </summary>
    private static async Task<List<TimeSpan>> PostAndTimeAsync(ProcessSystem system, string run)
    {
        var posted = new List<(Guid Id, int Index, DateTime At)>();
        for (var i = 0; i < 20; i++)
        {
            var at = DateTime.UtcNow;
            posted.Add((await PostAsync(system, i, run: run), i, at));
            await Task.Delay(250);
        }
        await Waiting.UntilAsync(() => system.InviteTimes(run).Count >= 20, TimeSpan.FromSeconds(90), $"twenty invites of {run}");
        var invites = system.InviteTimes(run);
        foreach (var (id, _, _) in posted) Assert.Equal("booked", await StatusAsync(system, id));
        return posted.Select(p => invites[ProcessSystem.EmailOf(run, p.Index)] - p.At).ToList();
    }

    private static async Task<Guid> PostAsync(ProcessSystem system, int index, bool currentRisk = false, string run = Run)
    {
        var response = await system.Referrer.PostAsJsonAsync("/api/referrals", ProcessSystem.Referral(run, index, currentRisk));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static async Task<string> StatusAsync(ProcessSystem system, Guid id) =>
        (await system.Referrer.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}"))!["status"]!.GetValue<string>();
}
