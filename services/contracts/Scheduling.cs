namespace Dit.Contracts;

/// <summary>One session of a course: its number (1–16, up to 20 once extended), wall-clock start in the course's zone and the instant.</summary>
public sealed record BookedSession(
    Guid AppointmentId,
    int SessionNumber,
    DateTime LocalStart,
    DateTimeOffset StartUtc,
    int DurationMinutes);

public sealed record CourseBooked(
    Guid CourseId,
    Guid ReferralId,
    Guid TherapistId,
    string TherapistName,
    string TimeZone,
    DayOfWeek Weekday,
    TimeOnly LocalTime,
    IReadOnlyList<BookedSession> Sessions,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Weeks the course skips (the date its weekly time would have had), because that week was closed to the patient.</summary>
    public IReadOnlyList<DateOnly> SkippedWeeks { get; init; } = [];

    /// <summary>The course's length, its sessions' minutes and its phases as booked; the standard shape from a publisher before this field.</summary>
    public CourseShape Shape { get; init; } = CourseShape.Standard;

    /// <summary>
    /// The course's private video room, where patient and therapist join every session (moves keep it): null where no
    /// video platform is set, or from a publisher before this field. No name in it; the room id is at least 128 random bits.
    /// </summary>
    public string? JoinUrl { get; init; }
}

public sealed record CourseWaitlisted(
    Guid ReferralId,
    string Reason,
    DateTimeOffset OccurredAt);

public sealed record AppointmentRescheduled(
    Guid CourseId,
    Guid ReferralId,
    Guid AppointmentId,
    int SessionNumber,
    DateTime OldLocalStart,
    DateTimeOffset OldStartUtc,
    DateTime NewLocalStart,
    DateTimeOffset NewStartUtc,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Who made the change; null from a publisher before this field.</summary>
    public Actor? By { get; init; }
}

/// <summary>A session moved from one time to another.</summary>
public sealed record SessionMove(Guid AppointmentId, int SessionNumber, DateTime OldLocalStart, DateTimeOffset OldStartUtc,
    DateTime NewLocalStart, DateTimeOffset NewStartUtc);

/// <summary>A session and all the course's later sessions moved to a new weekly slot, as one change.</summary>
public sealed record CourseRescheduled(
    Guid CourseId,
    Guid ReferralId,
    DayOfWeek Weekday,
    TimeOnly LocalTime,
    IReadOnlyList<SessionMove> Moves,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Who made the change; null from a publisher before this field.</summary>
    public Actor? By { get; init; }
}

public sealed record AppointmentCancelled(
    Guid CourseId,
    Guid ReferralId,
    Guid AppointmentId,
    int SessionNumber,
    DateTime LocalStart,
    DateTimeOffset StartUtc,
    string CancelledBy,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Who made the change; null from a publisher before this field.</summary>
    public Actor? By { get; init; }
}

/// <summary>
/// A course ended early. Only its sessions still to come are cancelled (<see cref="CancelledSessions"/>); those already
/// held keep their place in the patient's calendar and their attendance.
/// </summary>
public sealed record CourseCancelled(
    Guid CourseId,
    Guid ReferralId,
    string Reason,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>The sessions cancelled (numbers); null from a publisher before this field, meaning every session not yet cancelled.</summary>
    public IReadOnlyList<int>? CancelledSessions { get; init; }

    /// <summary>Who made the change; null from a publisher before this field.</summary>
    public Actor? By { get; init; }
}

/// <summary>
/// A session and all the course's later ones went to another therapist (long sickness, a therapist leaving), as one
/// change: each reassigned session with its old and new time (the same where the new therapist was free then). Also a
/// course brought forward as a whole (<see cref="BroughtForward"/>), with its therapist or another.
/// </summary>
public sealed record CourseReassigned(
    Guid CourseId,
    Guid ReferralId,
    int FromSession,
    Guid TherapistId,
    string TherapistName,
    IReadOnlyList<SessionMove> Sessions,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Who made the change; null from a publisher before this field.</summary>
    public Actor? By { get; init; }

    /// <summary>
    /// The whole course moved to start sooner, at a weekly time the patient agreed to (a coordinator added it to their
    /// windows); the therapist may be the same one. False for a reassignment, and from a publisher before this field.
    /// </summary>
    public bool BroughtForward { get; init; }
}

/// <summary>
/// Every coordinator key scheduling knows (it owns coordinators), as hashes only, so that one key opens the coordinator
/// endpoints of every service. Published when the set changes (and once when a scheduling process starts). Keys are only
/// ever added or revoked, so a receiver merges: adds what it does not know, revokes what is revoked — never un-revokes —
/// whatever order snapshots arrive in.
/// </summary>
public sealed record CoordinatorKeys(IReadOnlyList<CoordinatorKeyHash> Keys, DateTimeOffset OccurredAt);

/// <summary>A key's hash; for a personal key also the person it acts as, their roles then, and when it expires.</summary>
public sealed record CoordinatorKeyHash(string Id, string Name, string KeyHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt,
    string? PersonId = null, string? PersonName = null, string? Roles = null, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// Which person at the provider each therapist is (<c>PUT /api/therapists/{id}/user</c>), so that the services holding a
/// patient's name and contact details show them to that patient's own therapist and no one else. The whole set each
/// time (when it changes, and once when a scheduling process starts); a receiver keeps the newest by
/// <see cref="OccurredAt"/>.
/// </summary>
public sealed record TherapistPeople(IReadOnlyList<TherapistPerson> Therapists, DateTimeOffset OccurredAt);

/// <summary>A therapist and the person's id at the provider (its <c>sub</c>); null while no one is linked.</summary>
public sealed record TherapistPerson(Guid TherapistId, string? PersonId);

/// <summary>
/// A course extended beyond its sessions (up to 20): the sessions added, each at the course's weekly time where the
/// therapist was free, otherwise the nearest free time that week. <see cref="Sessions"/> is the course's new length.
/// </summary>
public sealed record CourseExtended(
    Guid CourseId,
    Guid ReferralId,
    IReadOnlyList<BookedSession> Added,
    int Sessions,
    int Sequence,
    DateTimeOffset OccurredAt)
{
    /// <summary>Who made the change; null from a publisher before this field.</summary>
    public Actor? By { get; init; }
}

/// <summary>
/// Scheduling could not book a referral for a reason that will not pass by itself (its data, or a fault of ours): the
/// referral waits on the coordinators' review list with <paramref name="Reason"/>, and the referrer sees it needs review.
/// </summary>
public sealed record ReferralNeedsAttention(Guid ReferralId, string Reason, DateTimeOffset OccurredAt);
