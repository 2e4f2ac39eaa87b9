namespace Dit.Scheduling.Therapists;

public sealed record HoursRequest(string? Day, string? From, string? To);
