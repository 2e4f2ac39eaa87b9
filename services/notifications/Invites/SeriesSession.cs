namespace Dit.Notifications.Invites;

/// <summary>One session of a series, with the scheduling sequence of the last change applied to it.</summary>
public sealed record SeriesSession(int Number, LocalDateTime LocalStart, Instant Start, int Sequence, bool Cancelled);
