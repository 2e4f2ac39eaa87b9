namespace Dit.Scheduling.Figures;

public sealed record FiguresView(DateTimeOffset At, WaitingFigures Waiting, FirstSessionFigures FirstSessions, AttendanceFigures Attendance,
    OutcomeFigures Outcomes, IReadOnlyList<TherapistUtilisation> Therapists, DemandCapacityFigures DemandAndCapacity);
