namespace Dit.Scheduling.Waitlist;

/// <summary>A booked course whose first session is more than 6 weeks off (patient's time), and how many whole weeks away it is.</summary>
public sealed record LateStartEntry(Guid ReferralId, Guid CourseId, string PatientInitials, string Therapist, string FirstSession, int WeeksAway);
