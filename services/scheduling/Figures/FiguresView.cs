using System.Text.Json;
using Dapper;
using Dit.Platform.Messaging;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Progress;
using NodaTime;

namespace Dit.Scheduling.Figures;

public sealed record FiguresView(DateTimeOffset At, WaitingFigures Waiting, FirstSessionFigures FirstSessions, AttendanceFigures Attendance,
    OutcomeFigures Outcomes, IReadOnlyList<TherapistUtilisation> Therapists);
