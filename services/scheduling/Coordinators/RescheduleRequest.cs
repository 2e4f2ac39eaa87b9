namespace Dit.Scheduling.Coordinators;

public sealed record RescheduleRequest([property: DateText(withTime: true)] string? Start, bool? OverrideWindows);
