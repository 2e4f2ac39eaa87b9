namespace Dit.Scheduling.Waitlist;

public sealed record WaitlistEntry(int Position, Guid ReferralId, string Reason, DateTimeOffset Since, int WaitingMinutes, DateTimeOffset LastTried);
