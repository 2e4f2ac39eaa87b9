namespace Dit.Scheduling.Figures;

public sealed record WeekFigures(string WeekFrom, int FirstSessions, int WithinSixWeeks, int WithinEighteenWeeks);
