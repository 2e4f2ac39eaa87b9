namespace Dit.Scheduling.Booking;

/// <summary>A referral whose data booking cannot use (issue 20): never booked, never retried in the lane.</summary>
public sealed class UnbookableReferralException(string message) : Exception(message);
