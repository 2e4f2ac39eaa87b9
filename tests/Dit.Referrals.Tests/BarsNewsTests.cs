using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using Dit.Referrals.Fhir;
using Dit.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MassTransit;
using Task = System.Threading.Tasks.Task;

namespace Dit.Referrals.Tests;

/// <summary>
/// A referrer that sent its referral by BaRS hears of each change as a servicerequest-response message at its endpoint —
/// in order, with its correlation id, riding out its own outages — and a key speaks for its own organisation only.
/// </summary>
public sealed class BarsNewsTests
{
    private static async Task<List<BarsDelivery>> DeliveredAsync(BarsReceiver receiver, int count)
    {
        Assert.True(await Waiting.EventuallyAsync(() => Task.FromResult(receiver.Delivered.Count >= count), TimeSpan.FromSeconds(30)),
            $"{receiver.Delivered.Count} of {count} messages delivered");
        return receiver.Delivered.ToList();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_BaRS_referrer_hears_each_change_in_order_with_its_correlation_id_riding_out_its_outage(string provider)
    {
        await using var receiver = await BarsReceiver.StartAsync();
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewBarsReferrerAsync(newsEndpoint: receiver.Endpoint);
        var message = BarsMessages.Referral(source: receiver.Endpoint);
        var correlationId = Guid.NewGuid().ToString();
        receiver.FailNext.Enqueue(503);   // the referrer's system is down when the first news is ready
        receiver.FailNext.Enqueue(503);

        var sent = await client.SendAsync(BarsMessages.Post(message.ToJson(), correlationId: correlationId));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var referralId = Guid.Parse(new FhirJsonDeserializer().Deserialize<Bundle>(await sent.Content.ReadAsStringAsync()).Entry[1].Resource!.Id!);
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(referralId);
        await bus.Publish(booked);
        await DeliveredAsync(receiver, 2);
        await bus.Publish(new AppointmentCancelled(booked.CourseId, referralId, booked.Sessions[1].AppointmentId, 2, booked.Sessions[1].LocalStart,
            booked.Sessions[1].StartUtc, "therapist unwell", 1, DateTimeOffset.UtcNow));
        await DeliveredAsync(receiver, 3);
        await bus.Publish(new CourseOutcomeRecorded(booked.CourseId, referralId, "completed", 16, true, true, true, false, true, "Reliable recovery",
            DateTimeOffset.UtcNow));
        var news = await DeliveredAsync(receiver, 4);

        // In order, each its own request, all under the referral's correlation id, each answering the referral's message.
        Assert.Equal(["received", "booked", "booked", "completed"], news.Select(n => n.ServiceRequest.Notes[0].Replace("DIT referral status: ", "")));
        Assert.Equal(["active", "active", "active", "completed"], news.Select(n => n.ServiceRequest.Status));
        Assert.All(news, n => Assert.Equal(correlationId, n.CorrelationId));
        Assert.Equal(4, news.Select(n => n.RequestId).Distinct().Count());
        Assert.All(news, n => Assert.Equal(message.Entry[0].Resource!.Id,
            n.Resources("MessageHeader").Single()["response"]!["identifier"]!.GetValue<string>()));
        Assert.All(news, n => Assert.Equal("servicerequest-response", n.Resources("MessageHeader").Single()["eventCoding"]!["code"]!.GetValue<string>()));
        // The booking carries the sessions as Appointments, with their times and therapist; the cancelled one says so.
        var appointments = news[1].Resources("Appointment").ToList();
        Assert.Equal(16, appointments.Count);
        Assert.Equal(booked.Sessions.Select(s => s.StartUtc), appointments.Select(a => DateTimeOffset.Parse(a["start"]!.GetValue<string>())));
        Assert.All(appointments, a => Assert.Equal(("booked", "Dr Asha Patel"), (a["status"]!.GetValue<string>(),
            a["participant"]![0]!["actor"]!["display"]!.GetValue<string>())));
        Assert.Equal(["booked", "cancelled", "booked"], news[2].Resources("Appointment").Take(3).Select(a => a["status"]!.GetValue<string>()));
        Assert.Contains("Reliable recovery", news[3].ServiceRequest.Notes[1]);
        // Nothing of the patient's identity travels in the news: the referrer has it already.
        Assert.All(news, n => Assert.DoesNotContain("9434765919", n.Bundle.ToJsonString()));
        // The receiver has the fourth a moment before the sender records its answer.
        Assert.True(await Waiting.EventuallyAsync(async () => await app.CountAsync("bars_news where sent_at is null") == 0, TimeSpan.FromSeconds(10)),
            "every news is recorded as sent");
        Assert.Equal(0, receiver.Duplicates);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task News_the_referrer_refuses_is_on_the_referrals_history_and_the_next_goes_on(string provider)
    {
        await using var receiver = await BarsReceiver.StartAsync();
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewBarsReferrerAsync(newsEndpoint: receiver.Endpoint);
        receiver.FailNext.Enqueue(400);
        // A sender named by its BaRS identifier (system|value) has its news at its organisation's endpoint, with that identifier.
        var sent = await client.SendAsync(BarsMessages.Post(BarsMessages.Referral(source: "https://fhir.nhs.uk/Id/dos-service-id|2000011147")));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var referralId = Guid.Parse(new FhirJsonDeserializer().Deserialize<Bundle>(await sent.Content.ReadAsStringAsync()).Entry[1].Resource!.Id!);
        await app.Service<IBus>().Publish(TestCourse.Booked(referralId));

        var news = Assert.Single(await DeliveredAsync(receiver, 1));
        Assert.Equal("active", news.ServiceRequest.Status);
        Assert.Equal(16, news.Resources("Appointment").Count());
        var target = JsonNode.Parse(Convert.FromBase64String(news.TargetIdentifier!))!;
        Assert.Equal(("https://fhir.nhs.uk/Id/dos-service-id", "2000011147"), (target["system"]!.GetValue<string>(), target["value"]!.GetValue<string>()));
        Assert.True(await Waiting.EventuallyAsync(async () => await app.CountAsync("bars_news where refused_at is not null") == 1, TimeSpan.FromSeconds(10)),
            "the refused news is recorded as refused");
        var history = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{referralId}"))!["history"]!.AsArray();
        Assert.Contains(history, h => h!["detail"]?.GetValue<string>().Contains("refused our news of this referral (HTTP 400") == true);

        // A source endpoint that is not the organisation's is refused: a key does not send our news where it likes.
        var elsewhere = await client.SendAsync(BarsMessages.Post(BarsMessages.Referral("IAPT-2", source: "https://attacker.example.org/fhir/$process-message")));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Contains("source.endpoint", await elsewhere.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.CountAsync("referrals"));
    }

    [Theory]
    [InlineData("https://north.example.nhs.uk/fhir/$process-message", "https://north.example.nhs.uk/fhir", true)]
    [InlineData("https://north.example.nhs.uk/fhir", "https://north.example.nhs.uk/fhir/", true)]
    [InlineData("https://north.example.nhs.uk.evil.example/fhir", "https://north.example.nhs.uk", false)]
    [InlineData("https://north.example.nhs.uk/fhirevil", "https://north.example.nhs.uk/fhir", false)]
    [InlineData("https://north.example.nhs.uk:8443/fhir", "https://north.example.nhs.uk/fhir", false)]
    [InlineData("http://north.example.nhs.uk/fhir", "https://north.example.nhs.uk/fhir", false)]
    public void A_source_endpoint_is_the_organisations_only_when_it_is_under_the_recorded_one(string source, string registered, bool under) =>
        Assert.Equal(under, BarsReferrers.IsUnder(new Uri(source), registered));

    [Fact]
    public async Task Each_message_must_name_this_service_and_the_organisation_its_key_belongs_to()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewBarsReferrerAsync();
        var json = BarsMessages.Referral().ToJson();
        async Task<(HttpStatusCode Status, string Code, string Diagnostics)> AnswerAsync(HttpClient caller, HttpRequestMessage request)
        {
            var response = await caller.SendAsync(request);
            var issue = (await response.Content.ReadFromJsonAsync<JsonObject>())!["issue"]![0]!;
            return (response.StatusCode, issue["details"]!["coding"]![0]!["code"]!.GetValue<string>(), issue["diagnostics"]!.GetValue<string>());
        }

        static (HttpStatusCode, string) Pair((HttpStatusCode Status, string Code, string) answer) => (answer.Status, answer.Code);

        var noTarget = BarsMessages.Post(json);
        noTarget.Headers.Remove(BarsHeaders.TargetIdentifier);
        Assert.Equal((HttpStatusCode.BadRequest, "REC_BAD_REQUEST"), Pair(await AnswerAsync(client, noTarget)));
        var otherService = BarsMessages.Post(json);
        otherService.Headers.Remove(BarsHeaders.TargetIdentifier);
        otherService.Headers.Add(BarsHeaders.TargetIdentifier, BarsHeaders.Encode("https://fhir.nhs.uk/Id/dos-service-id", "999"));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "REC_UNPROCESSABLE_ENTITY"), Pair(await AnswerAsync(client, otherService)));
        var noOrganisation = BarsMessages.Post(json);
        noOrganisation.Headers.Remove(BarsHeaders.EndUserOrganisation);
        noOrganisation.Headers.Add(BarsHeaders.EndUserOrganisation, "not base64!");
        var unreadable = await AnswerAsync(client, noOrganisation);
        Assert.Equal((HttpStatusCode.BadRequest, "REC_BAD_REQUEST"), Pair(unreadable));
        Assert.Contains(BarsHeaders.EndUserOrganisation, unreadable.Diagnostics);
        // Another organisation's ODS code with this key, and a key no administrator set up for BaRS: forbidden.
        var forged = await AnswerAsync(client, BarsMessages.Post(json, odsCode: "B2002"));
        Assert.Equal((HttpStatusCode.Forbidden, "REC_FORBIDDEN"), Pair(forged));
        Assert.Contains("A1001", forged.Diagnostics);
        Assert.Equal((HttpStatusCode.Forbidden, "REC_FORBIDDEN"), Pair(await AnswerAsync(await app.NewReferrerAsync("JSON only"), BarsMessages.Post(json))));
        Assert.Equal(0, await app.CountAsync("referrals"));

        var valid = await client.SendAsync(BarsMessages.Post(json));
        Assert.True(valid.StatusCode == HttpStatusCode.OK, await valid.Content.ReadAsStringAsync());
    }
}
