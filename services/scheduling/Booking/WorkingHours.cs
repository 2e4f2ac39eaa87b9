namespace Dit.Scheduling.Booking;

public sealed record WorkingHours(IsoDayOfWeek Day, LocalTime From, LocalTime To);
