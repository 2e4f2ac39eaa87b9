namespace Dit.Scheduling.Coordinators;

public sealed record AppointmentView(Guid Id, int Number, string LocalStart, DateTimeOffset StartUtc, string Status, string? Attendance, string? CancelledBy);
