namespace Dit.Scheduling.Progress;

/// <summary>When PHQ-9 item 9 first flagged the course, at which session; who marked it reviewed (null while it waits).</summary>
public sealed record ClinicalReview(DateTimeOffset Since, int Session, string? ReviewedBy);
