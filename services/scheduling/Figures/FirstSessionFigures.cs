namespace Dit.Scheduling.Figures;

/// <summary>First sessions held in the last 12 weeks: the share within 6 and 18 weeks of referral, and week by week.</summary>
public sealed record FirstSessionFigures(int FirstSessions, double? WithinSixWeeksPercent, double? WithinEighteenWeeksPercent, IReadOnlyList<WeekFigures> ByWeek);
