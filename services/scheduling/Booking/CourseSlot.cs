namespace Dit.Scheduling.Booking;

/// <summary>A course that fits: the therapist, the weekly slot, and every session as placed (a clashing week may be moved or skipped).</summary>
public sealed record CourseSlot(TherapistDiary Therapist, CandidateCourse Course);
