namespace Dit.Referrals.Intake;

/// <summary>A referral that passed every rule, normalised (NHS number digits only, mobile in E.164).</summary>
public sealed record ValidReferral(
    string ReferrerReference,
    PatientDetails Patient,
    IReadOnlyList<AvailabilityWindow> Availability,
    DateOnly EarliestStart,
    string TimeZone,
    Risk Risk,
    Consent Consent,
    string? PresentingProblem);
