namespace Dit.Referrals.Intake;

// The body of POST /api/referrals as it arrives. Dates and times are strings here so that a bad
// one is reported against its own field rather than as unreadable JSON.

public sealed record PatientRequest(
    string? NhsNumber,
    string? GivenName,
    string? FamilyName,
    [property: DateText(bound: "of a patient of the service's ages (18 to 120 by default).")] string? DateOfBirth,
    string? Email,
    string? Mobile);
