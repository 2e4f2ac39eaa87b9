namespace Dit.Scheduling.Coordinators;

/// <summary>
/// A session of a course; <see cref="ScoresRecorded"/> says that its questionnaire was answered (by the patient or in
/// the room) — what a coordinator may know of it: the answers are the clinical lead's and the therapist's.
/// </summary>
public sealed record AppointmentView(Guid Id, int Number, string LocalStart, DateTimeOffset StartUtc, string Status, string? Attendance, string? CancelledBy,
    bool ScoresRecorded);
