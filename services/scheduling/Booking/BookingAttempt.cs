namespace Dit.Scheduling.Booking;

/// <summary>A booking attempt: the course booked, or why nothing fits yet, or nothing because the referral was withdrawn.</summary>
public sealed record BookingAttempt(CourseBooked? Booked, string? WaitReason, bool Withdrawn = false);
