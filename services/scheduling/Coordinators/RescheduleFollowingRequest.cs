namespace Dit.Scheduling.Coordinators;

public sealed record RescheduleFollowingRequest(int? FromSession, [property: DateText(withTime: true)] string? Start, bool? OverrideWindows);
