namespace Dit.Scheduling.Therapists;

public sealed record LeaveView(Guid Id, string From, string To, string? Reason, IReadOnlyList<Guid> BookedSessionsInLeave);
