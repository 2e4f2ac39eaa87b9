namespace Dit.Scheduling.Coordinators;

public sealed record CancelSessionRequest(string? By, string? Reason);
