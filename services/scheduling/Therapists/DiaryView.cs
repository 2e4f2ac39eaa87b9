namespace Dit.Scheduling.Therapists;

public sealed record DiaryView(Guid TherapistId, string Therapist, string From, string To, IReadOnlyList<DiarySession> Sessions,
    IReadOnlyList<LeaveView> Leave, IReadOnlyList<ClosedDay> ClosedDays, IReadOnlyList<SkippedWeekView> SkippedWeeks);
