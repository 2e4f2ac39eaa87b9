namespace Dit.Scheduling.Therapists;

/// <param name="CourseSessions">How many sessions the session's course has (16, or up to 20 once extended).</param>
/// <param name="JoinUrl">The course's video room, for a session still to be held (null once cancelled, or with no video platform set).</param>
public sealed record DiarySession(Guid AppointmentId, Guid CourseId, Guid ReferralId, int SessionNumber, string LocalStart,
    DateTimeOffset StartUtc, string Status, string? Attendance, string? CancelledBy, string PatientInitials, int CourseSessions, string? JoinUrl = null);
