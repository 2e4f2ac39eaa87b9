using Dit.Referrals.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Consent = Hl7.Fhir.Model.Consent;

namespace Dit.Referrals.Tests;

/// <summary>A DIT referral as a referring service's record system would send it by BaRS: the same patient as <see cref="Referral.Valid"/>.</summary>
public static class BarsMessages
{
    public const string ReferrerEndpoint = "https://referrer.example.nhs.uk/fhir/$process-message";

    /// <param name="source">The sender's endpoint (MessageHeader.source.endpoint): where our news of the referral goes.</param>
    public static Bundle Referral(string reference = "IAPT-000123", string reason = "new", RequestStatus status = RequestStatus.Active,
        string source = ReferrerEndpoint)
    {
        string Url() => $"urn:uuid:{Guid.NewGuid()}";
        var (patientUrl, requestUrl, answersUrl) = (Url(), Url(), Url());
        var header = new MessageHeader
        {
            Id = Guid.NewGuid().ToString(),
            Event = new Coding(BarsCodes.MessageEvents, "servicerequest-request"),
            Reason = new CodeableConcept(BarsCodes.MessageReasons, reason),
            Source = new MessageHeader.MessageSourceComponent { Name = "Test Talking Therapies", Endpoint = source },
            Focus = [new ResourceReference(requestUrl)],
        };
        var request = new ServiceRequest
        {
            Identifier = [new Identifier("https://referrer.example.nhs.uk/referrals", reference)],
            Status = status, Intent = RequestIntent.Order,
            Subject = new ResourceReference(patientUrl),
            ReasonCode = [new CodeableConcept { Text = "depression" }],
            SupportingInfo = [new ResourceReference(answersUrl)],
        };
        var patient = new Patient
        {
            Identifier = [new Identifier(BarsCodes.NhsNumber, "9434765919")],
            Name = [new HumanName { Family = "O'Brien-Smith", Given = ["Alex"] }],
            BirthDate = "1990-04-01",
            Telecom =
            [
                new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "alex@example.org"),
                new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "07700 900123"),
            ],
        };
        var consent = new Consent
        {
            Status = Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0")],
            PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
            Patient = new ResourceReference(patientUrl),
            Provision = new Consent.provisionComponent
            {
                Type = Consent.ConsentProvisionType.Deny,
                Provision = [new Consent.provisionComponent { Type = Consent.ConsentProvisionType.Permit, Code = [new CodeableConcept(BarsCodes.ContactConsent, "email")] }],
            },
        };
        QuestionnaireResponse.ItemComponent Answer(string linkId, DataType value) =>
            new() { LinkId = linkId, Answer = [new QuestionnaireResponse.AnswerComponent { Value = value }] };
        QuestionnaireResponse.ItemComponent Window(string day, string from, string to) => new()
        {
            LinkId = "availability",
            Item = [Answer("day", new Coding(BarsCodes.DaysOfWeek, day)), Answer("from", new Time(from)), Answer("to", new Time(to))],
        };
        var answers = new QuestionnaireResponse
        {
            Questionnaire = BarsCodes.ReferralQuestionnaire,
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new ResourceReference(patientUrl),
            Item =
            [
                Window("tue", "17:00:00", "21:00:00"), Window("sat", "09:00:00", "12:00:00"),
                Answer("earliest-start", new Date(DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd"))),
                Answer("time-zone", new FhirString("Europe/London")),
            ],
        };
        return new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Message,
            Entry =
            [
                new() { FullUrl = Url(), Resource = header },
                new() { FullUrl = requestUrl, Resource = request },
                new() { FullUrl = patientUrl, Resource = patient },
                new() { FullUrl = Url(), Resource = consent },
                new() { FullUrl = answersUrl, Resource = answers },
            ],
        };
    }

    /// <summary>The ODS code of the referring service the tests' BaRS referrers are (<see cref="ReferralsApp.NewBarsReferrerAsync"/>).</summary>
    public const string OdsCode = "A1001";

    /// <summary>
    /// A BaRS request as the standard frames it: the message as application/fhir+json, a new X-Request-Id, the correlation
    /// id, this service as the target (the development default) and the sending organisation by its ODS code.
    /// </summary>
    public static HttpRequestMessage Post(string json, string? requestId = null, string? correlationId = null, string odsCode = OdsCode) =>
        Framed(new HttpRequestMessage(HttpMethod.Post, "/fhir/$process-message")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json"),
            Headers = { { "X-Request-Id", requestId ?? Guid.NewGuid().ToString() }, { "X-Correlation-Id", correlationId ?? Guid.NewGuid().ToString() } },
        }, odsCode);

    /// <summary>A BaRS read (<c>GET /fhir/…</c>) with BaRS's headers.</summary>
    public static HttpRequestMessage Get(string path, string odsCode = OdsCode) => Framed(new HttpRequestMessage(HttpMethod.Get, path)
    {
        Headers = { { "X-Request-Id", Guid.NewGuid().ToString() }, { "X-Correlation-Id", Guid.NewGuid().ToString() } },
    }, odsCode);

    private static HttpRequestMessage Framed(HttpRequestMessage request, string odsCode)
    {
        request.Headers.Add(BarsHeaders.TargetIdentifier, BarsHeaders.Encode("https://fhir.nhs.uk/Id/dos-service-id", "dit-scheduling"));
        request.Headers.Add(BarsHeaders.EndUserOrganisation, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(new Organization
        {
            Identifier = [new Identifier(BarsHeaders.OdsOrganisationCode, odsCode)],
            Name = "Test Talking Therapies",
        }.ToJson())));
        return request;
    }

    public static HttpRequestMessage Post(Bundle bundle, string? requestId = null) => Post(bundle.ToJson(), requestId);
}
