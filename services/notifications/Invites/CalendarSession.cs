namespace Dit.Notifications.Invites;

/// <summary>A session as the calendar shows it: its number, wall-clock start in the course's zone, and its instant.</summary>
public sealed record CalendarSession(int Number, LocalDateTime LocalStart, Instant Start);
