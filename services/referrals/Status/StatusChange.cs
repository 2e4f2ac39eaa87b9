namespace Dit.Referrals.Status;

public sealed record StatusChange(string Status, string? Detail, DateTimeOffset At);
