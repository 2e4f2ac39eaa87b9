namespace Dit.Scheduling.Therapists;

public sealed record NewTherapist(string? Name, int? MaxSessionsPerWeek, List<HoursRequest>? WorkingHours);
