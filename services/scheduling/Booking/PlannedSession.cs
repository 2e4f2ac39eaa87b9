namespace Dit.Scheduling.Booking;

public sealed record PlannedSession(int Number, LocalDateTime LocalStart, Instant Start);
