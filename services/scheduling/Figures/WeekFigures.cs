using System.Text.Json;
using Dapper;
using Dit.Platform.Messaging;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Progress;
using NodaTime;

namespace Dit.Scheduling.Figures;

public sealed record WeekFigures(string WeekFrom, int FirstSessions, int WithinSixWeeks, int WithinEighteenWeeks);
