namespace Dit.Contracts;

/// <summary>A weekly window in which the patient can attend, local to the referral's time zone.</summary>
public sealed record AvailabilityWindow(DayOfWeek Day, TimeOnly From, TimeOnly To);

public sealed record PatientDetails(
    string NhsNumber,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    string? Email,
    string? Mobile);

/// <param name="Questionnaires">The patient agreed to be sent a private link to a short questionnaire (PHQ-9, GAD-7, WSAS) by email before each session.</param>
public sealed record Consent(bool Email, bool Sms, bool Questionnaires = false);

public sealed record Risk(bool CurrentRisk, string? Notes);

/// <summary>A referring system on the bus asks for a referral to be taken in.</summary>
public sealed record SubmitReferral(
    Guid CommandId,
    string ReferrerId,
    string ReferrerReference,
    PatientDetails Patient,
    IReadOnlyList<AvailabilityWindow> Availability,
    DateOnly EarliestStart,
    string TimeZone,
    Risk Risk,
    Consent Consent,
    string? PresentingProblem,
    DateTimeOffset OccurredAt);

/// <summary>
/// A referral passed validation and triage and is ready to book: for notifications, which owns the patient's contact
/// details and consent from here on — and gets nothing else (no NHS number, date of birth or times). Scheduling gets
/// <see cref="ReferralForBooking"/> instead.
/// </summary>
/// <remarks>
/// Before issue 13 this carried the whole <see cref="PatientDetails"/> and the patient's times; a message of that shape
/// still in a queue reads as this one (the extra fields are ignored).
/// </remarks>
public sealed record ReferralAccepted(
    Guid ReferralId,
    string ReferrerId,
    PatientContactDetails Patient,
    Consent Consent,
    DateTimeOffset OccurredAt);

/// <summary>What notifications needs to write to a patient: the name to greet them by and where to reach them.</summary>
public sealed record PatientContactDetails(string GivenName, string FamilyName, string? Email, string? Mobile)
{
    public static PatientContactDetails Of(PatientDetails patient) => new(patient.GivenName, patient.FamilyName, patient.Email, patient.Mobile);
}

/// <summary>
/// The same accepted referral as scheduling needs it — the patient's times and zone, the earliest start, and initials
/// for the coordinators' diary — and nothing more: no NHS number, name, date of birth or contact details (those stay
/// with referrals; the contact details travel in <see cref="ReferralAccepted"/> to notifications only).
/// </summary>
public sealed record ReferralForBooking(
    Guid ReferralId,
    string ReferrerId,
    IReadOnlyList<AvailabilityWindow> Availability,
    DateOnly EarliestStart,
    string TimeZone,
    string PatientInitials,
    DateTimeOffset OccurredAt)
{
    /// <summary>The referrer's own reference, for the coordinators' list should the referral need a person's attention.</summary>
    public string? ReferrerReference { get; init; }

    /// <summary>"Alex O'Brien-Smith" → "AO": enough for a coordinator to tell sessions apart.</summary>
    public static string Initials(PatientDetails patient) =>
        string.Concat(new[] { patient.GivenName, patient.FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => char.ToUpperInvariant(n.Trim()[0])));
}

/// <summary>The referral reports current risk: a coordinator must review it; it is never auto-booked.</summary>
public sealed record ReferralNeedsReview(
    Guid ReferralId,
    string ReferrerId,
    string ReferrerReference,
    string? RiskNotes,
    string? PresentingProblem,
    DateOnly EarliestStart,
    DateTimeOffset OccurredAt);

/// <summary>A coordinator decided on a referral that needed review: <c>accept</c> (book it) or <c>close</c>.</summary>
public sealed record ReferralReviewed(
    Guid ReferralId,
    string Decision,
    string? Reason,
    string CoordinatorId,
    DateTimeOffset OccurredAt)
{
    public const string Accept = "accept";
    public const string Close = "close";
}

/// <summary>A <see cref="SubmitReferral"/> from the bus failed validation (or reused a reference); nothing was stored.</summary>
public sealed record ReferralRejected(
    Guid CommandId,
    string ReferrerId,
    string? ReferrerReference,
    IReadOnlyDictionary<string, string[]> Errors,
    DateTimeOffset OccurredAt);

/// <summary>The referrer withdrew the referral: any course is cancelled and the patient told.</summary>
public sealed record ReferralWithdrawn(
    Guid ReferralId,
    string ReferrerId,
    string? Reason,
    DateTimeOffset OccurredAt);
