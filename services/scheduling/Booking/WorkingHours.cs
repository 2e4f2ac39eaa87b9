using Dit.Contracts;
using NodaTime;
using NodaTime.Extensions;

namespace Dit.Scheduling.Booking;

public sealed record WorkingHours(IsoDayOfWeek Day, LocalTime From, LocalTime To);
