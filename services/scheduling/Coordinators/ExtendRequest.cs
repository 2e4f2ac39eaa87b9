namespace Dit.Scheduling.Coordinators;

public sealed record ExtendRequest(int? Sessions);
