namespace Dit.Platform.Audit;

/// <summary>
/// What was done to a patient's record: the action (<c>course.read</c>, <c>session.moved</c>, …), the referral and course
/// it touched, and for a change the fields before and after. Scores and free text never go in — only that they were
/// read or changed (a <see cref="FieldChange"/> names the field with no values).
/// </summary>
public sealed record AuditEntry(string Action, string? ReferralId, string? CourseId, IReadOnlyList<FieldChange>? Changes = null);
