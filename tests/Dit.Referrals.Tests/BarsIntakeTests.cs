using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Referrals.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace Dit.Referrals.Tests;

/// <summary>
/// Referrals in the NHS's own language: a DIT referral sent as a BaRS servicerequest-request message is the same referral
/// as one posted as our JSON; what a message lacks or gets wrong is answered with an OperationOutcome naming it by FHIRPath,
/// and nothing is kept.
/// </summary>
public sealed class BarsIntakeTests
{
    private static async Task<(HttpResponseMessage Response, JsonObject Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return (response, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static List<(string Code, string Bars, string? Expression, string Diagnostics)> Issues(JsonObject outcome)
    {
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        return outcome["issue"]!.AsArray().Select(i => (i!["code"]!.GetValue<string>(), i["details"]!["coding"]![0]!["code"]!.GetValue<string>(),
            i["expression"]?[0]?.GetValue<string>(), i["diagnostics"]!.GetValue<string>())).ToList();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_sent_as_a_BaRS_message_is_the_same_referral_as_our_JSON_once_per_request_id(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewBarsReferrerAsync();
        var message = BarsMessages.Referral();
        var requestId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();

        var (response, body) = await SendAsync(client, BarsMessages.Post(message.ToJson(), requestId, correlationId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(requestId, response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(correlationId, response.Headers.GetValues("X-Correlation-Id").Single());
        var answer = new FhirJsonDeserializer().Deserialize<Bundle>(body.ToJsonString());
        var header = Assert.IsType<MessageHeader>(answer.Entry[0].Resource);
        Assert.Equal(("servicerequest-response", message.Entry[0].Resource!.Id, MessageHeader.ResponseType.Ok),
            ((header.Event as Coding)!.Code, header.Response!.Identifier, header.Response.Code));
        var referralId = Assert.IsType<ServiceRequest>(answer.Entry[1].Resource).Id;
        // Our JSON API shows the same referral: the ServiceRequest's identifier is the referrer's reference.
        var view = (await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{referralId}"))!;
        Assert.Equal(("IAPT-000123", "received"), (view["referrerReference"]!.GetValue<string>(), view["status"]!.GetValue<string>()));
        Assert.Equal(2, await app.CountAsync("outbox"));   // ReferralAccepted and ReferralForBooking, as for JSON
        // A referrer that gave no endpoint for news polls the ServiceRequest; another referrer does not find it.
        var polled = new FhirJsonDeserializer().Deserialize<ServiceRequest>(await (await client.SendAsync(BarsMessages.Get($"/fhir/ServiceRequest/{referralId}"))).Content.ReadAsStringAsync());
        Assert.Equal((RequestStatus.Active, "DIT referral status: received", "IAPT-000123"),
            (polled.Status, polled.Note.Single().Text, polled.Identifier[1].Value));
        var stranger = await SendAsync(await app.NewBarsReferrerAsync("Another service", "B2002"), BarsMessages.Get($"/fhir/ServiceRequest/{referralId}", "B2002"));
        Assert.Equal((HttpStatusCode.NotFound, "REC_NOT_FOUND"), (stranger.Response.StatusCode, Issues(stranger.Body).Single().Bars));

        // The same X-Request-Id again is a duplicate; the same message under a new one is the same referral (one record).
        var (duplicate, duplicateBody) = await SendAsync(client, BarsMessages.Post(message.ToJson(), requestId, correlationId));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(("duplicate", "REC_CONFLICT"), (Issues(duplicateBody).Single().Code, Issues(duplicateBody).Single().Bars));
        var (again, againBody) = await SendAsync(client, BarsMessages.Post(message));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(referralId, againBody["entry"]![1]!["resource"]!["id"]!.GetValue<string>());
        // And the same referral as our own JSON is that referral too.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/referrals", Referral.With("risk.notes", null))).StatusCode);
        Assert.Equal(1, await app.CountAsync("referrals"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_update_whose_ServiceRequest_is_revoked_withdraws_the_referral(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewBarsReferrerAsync();
        var (sent, _) = await SendAsync(client, BarsMessages.Post(BarsMessages.Referral()));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var (revoked, body) = await SendAsync(client, BarsMessages.Post(BarsMessages.Referral(reason: "update", status: RequestStatus.Revoked)));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", body["entry"]![1]!["resource"]!["status"]!.GetValue<string>());
        var view = (await client.GetFromJsonAsync<JsonObject>("/api/referrals?reference=IAPT-000123"))!;
        Assert.Equal("cancelled", view["status"]!.GetValue<string>());   // withdrawn by the referrer
    }

    [Fact]
    public async Task The_NHSs_own_example_message_is_told_what_our_message_definition_needs_and_nothing_is_kept()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewBarsReferrerAsync();
        var example = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Bars", "ValidationRequest.json"));

        var (response, body) = await SendAsync(client, BarsMessages.Post(example));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issue = Issues(body).Single();
        Assert.Equal(("required", "REC_BAD_REQUEST", "Bundle.entry.resource.ofType(QuestionnaireResponse)"), (issue.Code, issue.Bars, issue.Expression));
        Assert.Contains("GET /fhir/MessageDefinition", issue.Diagnostics);
        Assert.Equal(0, await app.CountAsync("referrals"));
        Assert.Equal(0, await app.CountAsync("outbox"));
    }

    [Fact]
    public async Task Wrong_fields_are_named_by_their_FHIRPath_and_nothing_is_kept()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewBarsReferrerAsync();
        var message = BarsMessages.Referral();
        var patient = message.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Identifier[0].Value = "9434765910";   // a wrong check digit
        var answers = message.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().Single();
        answers.Item.Single(i => i.LinkId == "earliest-start").Answer[0].Value = new Date("2020-01-01");
        answers.Item[0].Item.Single(i => i.LinkId == "from").Answer[0].Value = new Time("06:00:00");

        var (response, body) = await SendAsync(client, BarsMessages.Post(message));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            [
                "Bundle.entry.resource.ofType(Patient).identifier.where(system='https://fhir.nhs.uk/Id/nhs-number').value",
                "Bundle.entry.resource.ofType(QuestionnaireResponse).item.where(linkId='availability')[0]",
                "Bundle.entry.resource.ofType(QuestionnaireResponse).item.where(linkId='earliest-start').answer.value",
            ],
            Issues(body).Select(i => i.Expression).Order(StringComparer.Ordinal));
        Assert.All(Issues(body), i => Assert.Equal("REC_BAD_REQUEST", i.Bars));
        Assert.Equal(0, await app.CountAsync("referrals"));
    }

    [Fact]
    public async Task BaRS_envelope_errors_are_OperationOutcomes_never_a_500()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewBarsReferrerAsync();
        var json = BarsMessages.Referral().ToJson();

        var noKey = await SendAsync(app.CreateClient(), BarsMessages.Post(json));
        Assert.Equal((HttpStatusCode.Unauthorized, "REC_UNAUTHORIZED"), (noKey.Response.StatusCode, Issues(noKey.Body).Single().Bars));

        using var noIds = new HttpRequestMessage(HttpMethod.Post, "/fhir/$process-message") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json") };
        var missing = await SendAsync(client, noIds);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Response.StatusCode);
        Assert.Equal(2, Issues(missing.Body).Count(i => i.Code == "required" && i.Diagnostics.Contains("header is required")));

        var asJson = BarsMessages.Post(json);
        asJson.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await SendAsync(client, asJson)).Response.StatusCode);

        var notJson = await SendAsync(client, BarsMessages.Post("{\"resourceType\": \"Bundle\", \"type\": "));
        Assert.Equal((HttpStatusCode.BadRequest, "structure"), (notJson.Response.StatusCode, Issues(notJson.Body)[0].Code));

        var unknownElement = await SendAsync(client, BarsMessages.Post(json.Replace("\"birthDate\"", "\"dateOfBirth\"")));
        Assert.Equal(HttpStatusCode.BadRequest, unknownElement.Response.StatusCode);
        Assert.Contains(Issues(unknownElement.Body), i => i.Diagnostics.Contains("dateOfBirth"));

        var patient = await SendAsync(client, BarsMessages.Post(new Patient { Id = "p" }.ToJson()));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "REC_UNPROCESSABLE_ENTITY"), (patient.Response.StatusCode, Issues(patient.Body).Single().Bars));

        var message = BarsMessages.Referral();
        ((MessageHeader)message.Entry[0].Resource!).Event = new Coding(BarsCodes.MessageEvents, "booking-request");
        var booking = await SendAsync(client, BarsMessages.Post(message));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, booking.Response.StatusCode);

        var huge = BarsMessages.Referral();
        for (var i = 0; i < 10_000; i++) huge.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = new Basic { Code = new CodeableConcept { Text = "x" } } });
        var tooBig = await SendAsync(client, BarsMessages.Post(huge));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "too-costly"), (tooBig.Response.StatusCode, Issues(tooBig.Body).Single().Code));
        Assert.Equal(0, await app.CountAsync("referrals"));
    }

    [Fact]
    public async Task Mutated_referral_messages_get_only_4xx_answers_and_leave_nothing_behind()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewBarsReferrerAsync();
        var valid = JsonNode.Parse(BarsMessages.Referral().ToJson())!.AsObject();
        var random = new Random(24);
        // Every element of the message, by its place in the JSON: the mutations pick among them.
        var places = new List<(JsonNode Parent, object Key)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject o) foreach (var (key, child) in o.ToList()) { places.Add((o, key)); if (child is not null) Walk(child); }
            if (node is JsonArray a) for (var i = 0; i < a.Count; i++) { places.Add((a, i)); if (a[i] is not null) Walk(a[i]!); }
        }
        JsonNode Deep(int depth) => depth == 0 ? JsonValue.Create("x") : new JsonObject { ["extension"] = new JsonArray(Deep(depth - 1)) };
        var mutations = new Func<JsonNode?, JsonNode?>[]
        {
            _ => null,                                                // removed
            value => value?.DeepClone() is { } copy ? new JsonArray(copy, value.DeepClone()) : null,   // duplicated
            _ => JsonValue.Create(12345),                             // a number for whatever it was
            _ => JsonValue.Create(true),
            _ => new JsonObject { ["system"] = "http://example.org/wrong", ["code"] = "new" },   // a wrong code system
            _ => JsonValue.Create(new string('A', 200_000)),          // a huge string
            _ => Deep(200),                                           // deep nesting
            _ => JsonValue.Create("urn:uuid:" + Guid.NewGuid()),      // a reference to nothing
        };
        var answers = new List<int>();
        for (var round = 0; round < 150; round++)
        {
            var message = valid.DeepClone().AsObject();
            places.Clear();
            Walk(message);
            var (parent, key) = places[random.Next(places.Count)];
            var mutate = mutations[random.Next(mutations.Length)];
            if (parent is JsonObject o)
            {
                var replaced = mutate(o[(string)key]);
                if (replaced is null) o.Remove((string)key); else o[(string)key] = replaced;
            }
            else if (parent is JsonArray a) a[(int)key] = mutate(a[(int)key]) ?? JsonValue.Create("");
            var response = await client.SendAsync(BarsMessages.Post(message.ToJsonString()));
            answers.Add((int)response.StatusCode);
            Assert.True((int)response.StatusCode is >= 400 and < 500 or 200, $"round {round}: {(int)response.StatusCode}");
        }
        // A mutation may leave a referral whole (an id or a display text changed): those are the valid referral, once.
        Assert.InRange(await app.CountAsync("referrals"), 0, 1);
        Assert.Contains(400, answers);
        Assert.Contains(422, answers);
        Assert.DoesNotContain(500, answers);
    }

    [Fact]
    public async Task The_receiver_publishes_what_it_takes()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = app.CreateClient();
        var deserializer = new FhirJsonDeserializer();

        var capabilities = deserializer.Deserialize<CapabilityStatement>(await client.GetStringAsync("/fhir/metadata"));
        Assert.Equal(BarsConformance.MessageDefinitionUrl, capabilities.Messaging.Single().SupportedMessage.Single().Definition);
        var definition = deserializer.Deserialize<MessageDefinition>(await client.GetStringAsync("/fhir/MessageDefinition"));
        Assert.Equal("servicerequest-request", ((Coding)definition.Event).Code);
        var questionnaire = deserializer.Deserialize<Questionnaire>(await client.GetStringAsync("/fhir/Questionnaire/dit-referral"));
        Assert.Equal(["availability", "earliest-start", "time-zone"], questionnaire.Item.Select(i => i.LinkId));
    }
}
