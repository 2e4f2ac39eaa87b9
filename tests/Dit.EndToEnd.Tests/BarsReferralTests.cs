using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dit.Referrals;
using Dit.Referrals.Fhir;
using Dit.Referrals.Keys;
using Dit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// A referral in the NHS's own language, end to end over a real RabbitMQ: the README's example BaRS message is booked and
/// invited like a JSON referral, and the referring service's receiver hears of it — accepted, then booked with its
/// sessions as Appointments — and later of its withdrawal.
/// </summary>
public sealed class BarsReferralTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    [Fact]
    public async Task The_READMEs_BaRS_message_is_booked_and_invited_and_its_sender_hears_the_booking_and_the_withdrawal()
    {
        await using var receiver = await BarsReceiver.StartAsync();
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var database = system.Referrals.Services.GetRequiredService<ReferralsDatabase>();
        var (referrerId, key) = await Referrers.Holders.AddAsync(database, "North Talking Therapies", SystemClock.Instance.GetCurrentInstant());
        await BarsReferrers.SetAsync(database, referrerId, new BarsReferrers.Details("A1001", receiver.Endpoint));
        using var client = DistributedSystem.ClientFor(system.Referrals, key);

        // The README's example, as a referrer would fill it in: a date within the next weeks, its own endpoint.
        var earliest = SystemClock.Instance.GetCurrentInstant().InZone(London).Date.PlusWeeks(2);
        var message = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, "docs", "fhir", "dit-referral-message.json"))
            .Replace("2027-01-11", earliest.ToString("yyyy-MM-dd", null))
            .Replace("https://north.example.nhs.uk/fhir/$process-message", receiver.Endpoint);
        var correlationId = Guid.NewGuid().ToString();
        HttpRequestMessage Post(string json) => new(HttpMethod.Post, "/fhir/$process-message")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/fhir+json"),
            Headers =
            {
                { "X-Request-Id", Guid.NewGuid().ToString() }, { "X-Correlation-Id", correlationId },
                { BarsHeaders.TargetIdentifier, BarsHeaders.Encode("https://fhir.nhs.uk/Id/dos-service-id", "dit-scheduling") },
                { BarsHeaders.EndUserOrganisation, Convert.ToBase64String(Encoding.UTF8.GetBytes(
                    """{"resourceType":"Organization","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A1001"}],"name":"North Talking Therapies"}""")) },
            },
        };

        // The validator is warmed at start-up, tens of CPU-seconds; on a loaded CI machine the first message waited behind
        // it past HttpClient's 100 s. The services run in this process and share the one validator: wait for it here.
        await BarsValidator.Shared.ValidateAsync(BarsConformance.ExampleMessage(), CancellationToken.None);
        var sent = await client.SendAsync(Post(message));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var referralId = (await sent.Content.ReadFromJsonAsync<JsonObject>())!["entry"]![1]!["resource"]!["id"]!.GetValue<string>();
        var referral = await ReferralToInviteTests.PollUntilAsync(client, new Uri($"/api/referrals/{referralId}", UriKind.Relative), "booked");
        var sessions = referral["booking"]!["sessions"]!.AsArray();
        Assert.Equal(16, sessions.Count);
        var mail = Assert.Single(await system.WaitForMailsAsync(1));
        Assert.Contains("To: alex@example.org", mail);
        Assert.Contains(MimeMessage.Parse(mail).Parts, p => p.ContentType == "text/calendar");

        Assert.True(await Waiting.EventuallyAsync(() => Task.FromResult(receiver.Delivered.Count >= 2), TimeSpan.FromSeconds(30)));
        var (accepted, booked) = (receiver.Delivered.ElementAt(0), receiver.Delivered.ElementAt(1));
        Assert.Equal(("active", "DIT referral status: received"), (accepted.ServiceRequest.Status, accepted.ServiceRequest.Notes[0]));
        Assert.Equal("DIT referral status: booked", booked.ServiceRequest.Notes[0]);
        Assert.Equal(sessions.Select(s => s!["startUtc"]!.GetValue<DateTimeOffset>()),
            booked.Resources("Appointment").Select(a => DateTimeOffset.Parse(a["start"]!.GetValue<string>())));
        Assert.All(new[] { accepted, booked }, n => Assert.Equal(correlationId, n.CorrelationId));

        // Later the referrer withdraws it by an update whose ServiceRequest is revoked; it hears the cancellation back.
        var revoked = JsonNode.Parse(message)!;
        revoked["entry"]![0]!["resource"]!["reason"]!["coding"]![0]!["code"] = "update";
        revoked["entry"]![1]!["resource"]!["status"] = "revoked";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(revoked.ToJsonString()))).StatusCode);
        Assert.True(await Waiting.EventuallyAsync(
            () => Task.FromResult(receiver.Delivered.Any(n => n.ServiceRequest.Status == "revoked")), TimeSpan.FromSeconds(30)));
        var cancelled = receiver.Delivered.Last(n => n.ServiceRequest.Status == "revoked");
        Assert.Equal("DIT referral status: cancelled", cancelled.ServiceRequest.Notes[0]);
        Assert.Equal(0, receiver.Duplicates);
    }
}
