using Dit.Contracts;
using NodaTime;

namespace Dit.Testing;

/// <summary>
/// The course the tests of the services that follow a booking publish: Alex Smith, Tuesdays 18:00 London from 2 March 2027
/// (across the clock change), of the standard shape or another.
/// </summary>
public static class TestCourse
{
    private static readonly DateTimeZone London = CourseShape.ServiceZone;

    public static ReferralAccepted Accepted(Guid referralId, bool sms = false, bool email = true, string address = "alex@example.org") => new(
        referralId, "referrer",
        new PatientContactDetails("Alex", "Smith", address, sms ? "+447700900123" : null), new Consent(email, sms), DateTimeOffset.UtcNow);

    /// <summary>Tuesdays 18:00 London from 2 March 2027: across the March clock change.</summary>
    public static CourseBooked Booked(Guid referralId, CourseShape? shape = null)
    {
        shape ??= CourseShape.Standard;
        var sessions = Enumerable.Range(0, shape.Sessions).Select(w =>
        {
            var local = new LocalDate(2027, 3, 2).PlusWeeks(w).At(new LocalTime(18, 0));
            return new BookedSession(Guid.NewGuid(), w + 1, local.ToDateTimeUnspecified(), local.InZoneStrictly(London).ToDateTimeOffset(), shape.SessionMinutes);
        }).ToList();
        return new CourseBooked(Guid.NewGuid(), referralId, Guid.NewGuid(), "Dr Asha Patel", "Europe/London",
            DayOfWeek.Tuesday, new TimeOnly(18, 0), sessions, 0, DateTimeOffset.UtcNow) { Shape = shape };
    }

    public static SessionMove Move(BookedSession session, LocalDateTime to) => new(session.AppointmentId, session.SessionNumber,
        session.LocalStart, session.StartUtc, to.ToDateTimeUnspecified(), to.InZoneStrictly(London).ToDateTimeOffset());
}
