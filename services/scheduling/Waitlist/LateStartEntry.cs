namespace Dit.Scheduling.Waitlist;

/// <summary>
/// A booked course whose first session (patient's time) is more than 6 weeks after the patient could start (the later of
/// now and their earliest start), and by how many whole weeks.
/// </summary>
public sealed record LateStartEntry(Guid ReferralId, Guid CourseId, string PatientInitials, string Therapist, string FirstSession, int WeeksAfterCouldStart);
