namespace Dit.Scheduling.Booking;

/// <summary>
/// One weekly local day and time in the patient's zone, with its sessions placed, and the weeks it skips (the dates
/// its weekly time would have had) because the patient's only times that week were closed.
/// </summary>
public sealed record CandidateCourse(IsoDayOfWeek Day, LocalTime Time, IReadOnlyList<PlannedSession> Sessions)
{
    public IReadOnlyList<LocalDate> SkippedWeeks { get; init; } = [];
}
