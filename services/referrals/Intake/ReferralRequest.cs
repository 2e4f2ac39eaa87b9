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
