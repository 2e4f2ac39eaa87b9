namespace Dit.Scheduling.Progress;

public sealed record ClinicalReviewEntry(Guid CourseId, Guid ReferralId, string PatientInitials, string Therapist, DateTimeOffset Since, int Session);
