using Dit.Platform.Http;

namespace Dit.Referrals.Intake;

// The body of POST /api/referrals as it arrives. Dates and times are strings here so that a bad
// one is reported against its own field rather than as unreadable JSON.

public sealed record ReferralRequest(
    string? ReferrerReference,
    PatientRequest? Patient,
    List<AvailabilityRequest>? Availability,
    [property: DateText(bound: "today or later, and no further ahead than the booking horizon (18 weeks by default).")] string? EarliestStart,
    string? TimeZone,
    RiskRequest? Risk,
    ConsentRequest? Consent,
    string? PresentingProblem);

public sealed record PatientRequest(
    string? NhsNumber,
    string? GivenName,
    string? FamilyName,
    [property: DateText(bound: "of a patient of the service's ages (18 to 120 by default).")] string? DateOfBirth,
    string? Email,
    string? Mobile);

public sealed record AvailabilityRequest(string? Day, string? From, string? To);

public sealed record RiskRequest(bool CurrentRisk, string? Notes);

/// <param name="Questionnaires">A private link to a short questionnaire (PHQ-9, GAD-7, WSAS) in each email reminder; needs consent to email.</param>
public sealed record ConsentRequest(bool Email, bool Sms, bool Questionnaires = false);
