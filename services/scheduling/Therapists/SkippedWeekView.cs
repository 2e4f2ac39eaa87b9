namespace Dit.Scheduling.Therapists;

/// <summary>A week a course skips: the date its weekly session would have had.</summary>
public sealed record SkippedWeekView(Guid CourseId, string PatientInitials, string Date);
