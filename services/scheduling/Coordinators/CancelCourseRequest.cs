namespace Dit.Scheduling.Coordinators;

public sealed record CancelCourseRequest(string? Reason);
