namespace Dit.Scheduling.Therapists;

/// <summary>A weekly range of working hours in the service's zone, e.g. Monday 07:00–15:00.</summary>
public sealed record WeeklyHours(IsoDayOfWeek Day, LocalTime From, LocalTime To);
