namespace Dit.Platform.Audit;

/// <summary>One row of a referral's audit trail as the clinical lead reads it.</summary>
public sealed record AuditView(long Row, DateTimeOffset At, string ActorRole, string ActorId, string? ActorName, string? OnBehalfOf,
    string? ReferralId, string? CourseId, string Action, string? Changes, string? TraceId);
