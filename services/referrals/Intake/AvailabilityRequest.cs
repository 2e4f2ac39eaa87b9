namespace Dit.Referrals.Intake;

// The body of POST /api/referrals as it arrives. Dates and times are strings here so that a bad
// one is reported against its own field rather than as unreadable JSON.

public sealed record AvailabilityRequest(string? Day, string? From, string? To);
