using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Dit.Referrals.Fhir;

/// <summary>
/// What this receiver publishes so that a sender can build a DIT referral message: its CapabilityStatement, the
/// MessageDefinition of the payload (BaRS lets the receiver specify it) and the Questionnaire whose answers carry what
/// UK Core has no element for — the patient's weekly availability, time zone and earliest start.
/// </summary>
public static class BarsConformance
{
    public const string MessageDefinitionUrl = $"{BarsCodes.Base}/MessageDefinition/dit-referral";

    /// <summary>A DIT referral message as a referrer sends it: the README's example (docs/fhir/dit-referral-message.json).</summary>
    public static Bundle ExampleMessage()
    {
        using var stream = typeof(BarsConformance).Assembly.GetManifestResourceStream("dit-referral-message.json")!;
        return new FhirJsonDeserializer().Deserialize<Bundle>(new StreamReader(stream).ReadToEnd());
    }

    public static CapabilityStatement Capabilities() => new()
    {
        Id = "dit-referrals",
        Url = $"{BarsCodes.Base}/CapabilityStatement/dit-referrals",
        Name = "DitReferrals",
        Status = PublicationStatus.Active,
        Date = "2026-12-05",
        Kind = CapabilityStatementKind.Instance,
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "Referrals for a course of Dynamic Interpersonal Therapy by the Booking and Referral Standard (BaRS). Call with your referrer key: 'Authorization: ApiKey <key>'.",
                Operation = [new CapabilityStatement.OperationComponent { Name = "process-message", Definition = "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message" }],
            },
        ],
        Messaging =
        [
            new CapabilityStatement.MessagingComponent
            {
                SupportedMessage = [new CapabilityStatement.SupportedMessageComponent { Mode = CapabilityStatement.EventCapabilityMode.Receiver, Definition = MessageDefinitionUrl }],
            },
        ],
    };

    public static MessageDefinition Definition() => new()
    {
        Id = "dit-referral",
        Url = MessageDefinitionUrl,
        Name = "DitReferral",
        Title = "A referral for a course of Dynamic Interpersonal Therapy",
        Status = PublicationStatus.Active,
        Date = "2026-12-05",
        Event = new Coding(BarsCodes.MessageEvents, "servicerequest-request"),
        Category = Hl7.Fhir.Model.MessageDefinition.MessageSignificanceCategory.Notification,
        Description = "A Bundle of type message: the MessageHeader first (event servicerequest-request; reason new, or update with the " +
                      "ServiceRequest revoked or entered-in-error to withdraw; focus the ServiceRequest; source.endpoint where news goes back), " +
                      "then one ServiceRequest (identifier: your reference; subject the Patient; reasonCode.text the presenting problem), " +
                      "one UK Core Patient (NHS number under https://fhir.nhs.uk/Id/nhs-number, name, birthDate, telecom email and/or mobile), " +
                      $"one Consent (provision.provision of type permit coded {BarsCodes.ContactConsent} email, sms, questionnaires), " +
                      $"an active Flag for current risk (code.text the notes), and one QuestionnaireResponse to {BarsCodes.ReferralQuestionnaire}.",
        Focus = [new Hl7.Fhir.Model.MessageDefinition.FocusComponent { Code = ResourceType.ServiceRequest, Min = 1, Max = "1" }],
        ResponseRequired = MessageheaderResponseRequest.Always,
    };

    public static Questionnaire ReferralQuestionnaire() => new()
    {
        Id = "dit-referral",
        Url = BarsCodes.ReferralQuestionnaire,
        Name = "DitReferral",
        Title = "When the patient can come",
        Status = PublicationStatus.Active,
        SubjectType = [ResourceType.Patient],
        Item =
        [
            new Hl7.Fhir.Model.Questionnaire.ItemComponent
            {
                LinkId = "availability", Text = "A weekly window the patient can come (UK time unless a time zone is given)", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Group,
                Required = true, Repeats = true,
                Item =
                [
                    new Hl7.Fhir.Model.Questionnaire.ItemComponent { LinkId = "day", Text = "Day", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Choice, Required = true, AnswerValueSet = "http://hl7.org/fhir/ValueSet/days-of-week" },
                    new Hl7.Fhir.Model.Questionnaire.ItemComponent { LinkId = "from", Text = "From", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Time, Required = true },
                    new Hl7.Fhir.Model.Questionnaire.ItemComponent { LinkId = "to", Text = "To", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Time, Required = true },
                ],
            },
            new Hl7.Fhir.Model.Questionnaire.ItemComponent { LinkId = "earliest-start", Text = "The first date the patient could start", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.Date, Required = true },
            new Hl7.Fhir.Model.Questionnaire.ItemComponent { LinkId = "time-zone", Text = "The patient's time zone (IANA, e.g. Europe/London), if not UK time", Type = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType.String },
        ],
    };
}
