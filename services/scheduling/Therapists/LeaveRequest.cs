namespace Dit.Scheduling.Therapists;

public sealed record LeaveRequest([property: DateText] string? From, [property: DateText] string? To, string? Reason);
