namespace Dit.Referrals.Fhir;

/// <summary>The code systems and canonical addresses a DIT referral message by the Booking and Referral Standard uses.</summary>
public static class BarsCodes
{
    public const string MessageEvents = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
    public const string MessageReasons = "https://fhir.nhs.uk/CodeSystem/message-reason-bars";
    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";
    public const string HttpErrorCodes = "https://fhir.nhs.uk/CodeSystem/http-error-codes";
    public const string DaysOfWeek = "http://hl7.org/fhir/days-of-week";

    /// <summary>Where this service's own conformance resources live (its Questionnaire, MessageDefinition, consent codes).</summary>
    public const string Base = "https://dit-scheduling.example.nhs.uk/fhir";

    /// <summary>The questionnaire whose answers carry the patient's weekly availability, time zone and earliest start.</summary>
    public const string ReferralQuestionnaire = $"{Base}/Questionnaire/dit-referral";

    /// <summary>What the patient agreed to be contacted by: codes email, sms, questionnaires, in the Consent's provisions.</summary>
    public const string ContactConsent = $"{Base}/CodeSystem/dit-contact-consent";
}
