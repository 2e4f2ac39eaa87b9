namespace Dit.Scheduling.Therapists;

public sealed record ClosedDay([property: DateText] string Date, string Name);
