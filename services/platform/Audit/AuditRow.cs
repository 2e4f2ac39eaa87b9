namespace Dit.Platform.Audit;

/// <summary>One row of a service's audit trail as stored (<c>audit_trail</c>); <see cref="At"/> in Unix milliseconds.</summary>
public sealed record AuditRow(long Seq, long At, string ActorRole, string ActorId, string? ActorName, string? OnBehalfOf,
    string? ReferralId, string? CourseId, string Action, string? Changes, string? TraceId, string PrevHash, string Hash);
