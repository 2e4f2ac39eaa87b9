using Dit.Referrals.Intake;
using Hl7.Fhir.Model;
using Consent = Hl7.Fhir.Model.Consent;
using ReferralRequest = Dit.Referrals.Intake.ReferralRequest;

namespace Dit.Referrals.Fhir;

/// <summary>What a message asks besides the referral: its id, new or update, where news goes back, the ServiceRequest's status.</summary>
public sealed record BarsEnvelope(string MessageId, string Reason, string? ReplyTo, string Status);

/// <summary>An element of the message that is missing or wrong, by its FHIRPath.</summary>
public sealed record BarsIssue(string Expression, string Message, string Code = "invalid");

/// <summary>
/// Reads a DIT referral sent as a BaRS <c>servicerequest-request</c> message into the same <see cref="ReferralRequest"/>
/// our JSON API takes (one set of rules, one idempotency, one record): the ServiceRequest's identifier is the referrer's
/// reference; the UK Core Patient gives the NHS number, name, date of birth, email and mobile; the Consent's provisions
/// what the patient agreed to be contacted by; an active Flag the current risk; the answers to our Questionnaire the weekly
/// availability, time zone and earliest start. What is missing or of the wrong kind is named by its FHIRPath.
/// </summary>
public static class BarsReferralMessage
{
    private const string Entry = "Bundle.entry.resource";

    public static (ReferralRequest? Request, BarsEnvelope? Envelope, List<BarsIssue> Issues) Read(Bundle bundle)
    {
        var issues = new List<BarsIssue>();
        if (bundle.Type != Bundle.BundleType.Message)
            issues.Add(new("Bundle.type", "A BaRS message is a Bundle of type 'message'.", "value"));
        var resources = bundle.Entry.Select(e => e.Resource).OfType<Resource>().ToList();
        if (resources.FirstOrDefault() is not MessageHeader header)
        {
            issues.Add(new("Bundle.entry[0].resource", "The first entry must be the MessageHeader.", "required"));
            return (null, null, issues);
        }
        var eventCoding = header.Event as Coding;
        if (eventCoding is not { System: BarsCodes.MessageEvents, Code: "servicerequest-request" })
            issues.Add(new($"{Entry}.ofType(MessageHeader).event", $"This service takes {BarsCodes.MessageEvents}|servicerequest-request messages.", "not-supported"));
        var reason = header.Reason?.Coding.FirstOrDefault(c => c.System == BarsCodes.MessageReasons)?.Code;
        if (reason is not ("new" or "update"))
            issues.Add(new($"{Entry}.ofType(MessageHeader).reason", $"The reason is {BarsCodes.MessageReasons} 'new' or 'update'.", "not-supported"));

        var request = Single<ServiceRequest>(resources, issues);
        if (request is not null && !header.Focus.Any(f => Refers(bundle, f, request)))
            issues.Add(new($"{Entry}.ofType(MessageHeader).focus", "The focus is the ServiceRequest in this bundle.", "invalid"));
        var patient = Single<Patient>(resources, issues);
        if (request is not null && patient is not null && !Refers(bundle, request.Subject, patient))
            issues.Add(new($"{Entry}.ofType(ServiceRequest).subject", "The subject is the Patient in this bundle.", "invalid"));
        var answers = Single<QuestionnaireResponse>(resources, issues);
        if (answers is not null && answers.Questionnaire != BarsCodes.ReferralQuestionnaire)
            issues.Add(new($"{Entry}.ofType(QuestionnaireResponse).questionnaire", $"Answers to {BarsCodes.ReferralQuestionnaire} (GET /fhir/Questionnaire/dit-referral).", "value"));
        var consent = resources.OfType<Consent>().ToList() is { Count: 1 } consents ? consents[0]
            : Missing<Consent>(resources, issues);
        if (issues.Count > 0 || request is null || patient is null || answers is null || consent is null) return (null, null, issues);

        var envelope = new BarsEnvelope(header.Id ?? bundle.Id ?? "", reason!, header.Source?.Endpoint,
            request.Status?.ToString().ToLowerInvariant() switch { "enteredinerror" => "entered-in-error", var s => s ?? "" });
        var flag = resources.OfType<Flag>().FirstOrDefault(f => f.Status == Flag.FlagStatus.Active);
        var referral = new ReferralRequest(
            request.Identifier.FirstOrDefault()?.Value,
            new PatientRequest(
                patient.Identifier.FirstOrDefault(i => i.System == BarsCodes.NhsNumber)?.Value,
                patient.Name.FirstOrDefault()?.Given.FirstOrDefault(),
                patient.Name.FirstOrDefault()?.Family,
                patient.BirthDate,
                patient.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Email)?.Value,
                patient.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Sms
                    || t is { System: ContactPoint.ContactPointSystem.Phone, Use: ContactPoint.ContactPointUse.Mobile })?.Value),
            Items(answers.Item, "availability").Select(window => new AvailabilityRequest(
                Day(Items(window.Item, "day").FirstOrDefault()), Time(Items(window.Item, "from").FirstOrDefault()),
                Time(Items(window.Item, "to").FirstOrDefault()))).ToList(),
            Text(Items(answers.Item, "earliest-start").FirstOrDefault()),
            Text(Items(answers.Item, "time-zone").FirstOrDefault()),
            new RiskRequest(flag is not null, flag?.Code?.Text),
            new ConsentRequest(Agreed(consent, "email"), Agreed(consent, "sms"), Agreed(consent, "questionnaires")),
            request.ReasonCode.FirstOrDefault()?.Text);
        return (referral, envelope, issues);
    }

    /// <summary>Where each of our JSON API's fields is in the message, for its errors.</summary>
    public static string PathOf(string field)
    {
        var answers = $"{Entry}.ofType(QuestionnaireResponse).item";
        var patient = $"{Entry}.ofType(Patient)";
        var window = System.Text.RegularExpressions.Regex.Match(field, @"^availability\[(\d+)\](?:\.(\w+))?$");
        if (window.Success)
            return $"{answers}.where(linkId='availability')[{window.Groups[1].Value}]" +
                   (window.Groups[2].Success ? $".item.where(linkId='{window.Groups[2].Value}').answer.value" : "");
        return field switch
        {
            "referrerReference" => $"{Entry}.ofType(ServiceRequest).identifier.value",
            "presentingProblem" => $"{Entry}.ofType(ServiceRequest).reasonCode.text",
            "patient" => patient,
            "patient.nhsNumber" => $"{patient}.identifier.where(system='{BarsCodes.NhsNumber}').value",
            "patient.givenName" => $"{patient}.name.given",
            "patient.familyName" => $"{patient}.name.family",
            "patient.dateOfBirth" => $"{patient}.birthDate",
            "patient.email" => $"{patient}.telecom.where(system='email').value",
            "patient.mobile" => $"{patient}.telecom.where(system='sms' or use='mobile').value",
            "availability" => $"{answers}.where(linkId='availability')",
            "earliestStart" => $"{answers}.where(linkId='earliest-start').answer.value",
            "timeZone" => $"{answers}.where(linkId='time-zone').answer.value",
            _ when field.StartsWith("risk", StringComparison.Ordinal) => $"{Entry}.ofType(Flag)",
            _ when field.StartsWith("consent", StringComparison.Ordinal) => $"{Entry}.ofType(Consent).provision.provision",
            _ => "Bundle",
        };
    }

    private static T? Single<T>(List<Resource> resources, List<BarsIssue> issues) where T : Resource
    {
        var found = resources.OfType<T>().ToList();
        if (found.Count == 1) return found[0];
        if (found.Count == 0) return Missing<T>(resources, issues);
        issues.Add(new($"{Entry}.ofType({typeof(T).Name})", $"One {typeof(T).Name}, not {found.Count}.", "invalid"));
        return null;
    }

    private static T? Missing<T>(List<Resource> resources, List<BarsIssue> issues) where T : Resource
    {
        issues.Add(new($"{Entry}.ofType({typeof(T).Name})", $"Our message definition needs one {typeof(T).Name} (GET /fhir/MessageDefinition).", "required"));
        return null;
    }

    /// <summary>Whether <paramref name="reference"/> names <paramref name="resource"/>'s entry (its fullUrl, or type/id).</summary>
    private static bool Refers(Bundle bundle, ResourceReference? reference, Resource resource)
    {
        if (reference?.Reference is not { } target) return false;
        var entry = bundle.Entry.FirstOrDefault(e => ReferenceEquals(e.Resource, resource));
        return target == entry?.FullUrl || (resource.Id is { } id && target == $"{resource.TypeName}/{id}");
    }

    private static IEnumerable<QuestionnaireResponse.ItemComponent> Items(IEnumerable<QuestionnaireResponse.ItemComponent> items, string linkId) =>
        items.Where(i => i.LinkId == linkId);

    private static DataType? Value(QuestionnaireResponse.ItemComponent? item) => item?.Answer.FirstOrDefault()?.Value;

    private static string? Text(QuestionnaireResponse.ItemComponent? item) => Value(item) switch
    {
        Date date => date.Value,
        FhirString text => text.Value,
        Coding coding => coding.Code,
        _ => null,
    };

    /// <summary>"17:00:00" → "17:00", as our JSON takes times.</summary>
    private static string? Time(QuestionnaireResponse.ItemComponent? item) => Value(item) switch
    {
        Hl7.Fhir.Model.Time time when time.Value is { Length: >= 5 } value => value[..5],
        FhirString text => text.Value,
        _ => null,
    };

    private static readonly Dictionary<string, string> Weekdays = new()
    {
        ["mon"] = "Monday", ["tue"] = "Tuesday", ["wed"] = "Wednesday", ["thu"] = "Thursday", ["fri"] = "Friday", ["sat"] = "Saturday", ["sun"] = "Sunday",
    };

    private static string? Day(QuestionnaireResponse.ItemComponent? item) => Value(item) switch
    {
        Coding { System: BarsCodes.DaysOfWeek, Code: { } code } => Weekdays.GetValueOrDefault(code),
        FhirString text => text.Value,
        _ => null,
    };

    private static bool Agreed(Consent consent, string code) =>
        consent.Status == Consent.ConsentState.Active && consent.Provision?.Provision.Any(p => p.Type == Consent.ConsentProvisionType.Permit
            && p.Code.Any(c => c.Coding.Any(x => x.System == BarsCodes.ContactConsent && x.Code == code))) == true;
}
