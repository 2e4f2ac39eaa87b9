namespace Dit.Scheduling.Coordinators;

public sealed record AlternativeView(string LocalStart, DateTimeOffset StartUtc, bool SameWeek);
