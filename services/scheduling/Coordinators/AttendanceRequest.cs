namespace Dit.Scheduling.Coordinators;

public sealed record AttendanceRequest(string? Outcome);
