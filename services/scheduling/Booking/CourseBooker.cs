using System.Data.Common;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>Another booking took the time or the therapist's weekly capacity first: search again.</summary>
public sealed class LostRaceException(string message) : Exception(message);

/// <summary>
/// Books a referral's whole course in the caller's transaction: loads the diaries, runs the
/// <see cref="CourseSearch"/>, writes the course, its 16 appointments and <see cref="CourseBooked"/>
/// — or puts the referral on the waitlist with <see cref="CourseWaitlisted"/>.
/// </summary>
public sealed class CourseBooker(BookingRules rules, CourseSearch search, IClock clock)
{
    private static readonly LocalDateTimePattern LocalStartPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    /// <summary>Books the course, or waitlists the referral (once) when nothing fits.</summary>
    public async Task<CourseBooked?> BookOrWaitlistAsync(DbConnection connection, DbTransaction transaction, ReferralAccepted referral)
    {
        var booked = await TryBookAsync(connection, transaction, referral);
        if (booked is not null) return booked;
        var now = clock.GetCurrentInstant();
        const string reason = "No therapist has a weekly slot inside the patient's availability for 16 weeks.";
        var added = await connection.ExecuteAsync(
            """
            insert into waitlist (referral_id, request_json, reason, since) values (@referralId, @json, @reason, @now)
            on conflict do nothing
            """,
            new { referralId = referral.ReferralId.ToString(), json = JsonSerializer.Serialize(referral, MessageJson.Options), reason, now = now.ToUnixTimeMilliseconds() },
            transaction);
        if (added == 1)
            await Outbox.AddAsync(connection, transaction, new CourseWaitlisted(referral.ReferralId, reason, now.ToDateTimeOffset()), now);
        return null;
    }

    /// <summary>
    /// Books the best course if one fits, and takes the referral off the waitlist; null when nothing fits.
    /// Throws <see cref="LostRaceException"/> (or a unique violation) when a concurrent booking got there first.
    /// </summary>
    public async Task<CourseBooked?> TryBookAsync(DbConnection connection, DbTransaction transaction, ReferralAccepted referral)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(referral.TimeZone) ?? rules.ServiceZone;
        var request = new SearchRequest(referral.Availability, LocalDate.FromDateOnly(referral.EarliestStart), zone,
            await Diaries.ClosedDaysAsync(connection, transaction));
        var from = request.EarliestStart.AtStartOfDayInZone(zone).ToInstant();
        var diaries = await Diaries.LoadAsync(connection, transaction, from, from + Duration.FromDays(7 * (rules.SessionsPerCourse + 2)));
        var now = clock.GetCurrentInstant();

        var slot = search.FindBest(request, diaries);
        if (slot is null) return null;

        // One booking at a time per therapist: the no-op update takes the therapist's row lock, so the
        // weekly cap checked below sees every booking committed before ours.
        await connection.ExecuteAsync("update therapists set max_sessions_per_week = max_sessions_per_week where id = @id",
            new { id = slot.Therapist.Id.ToString() }, transaction);

        var courseId = Guid.NewGuid();
        await connection.ExecuteAsync(
            """
            insert into courses (id, referral_id, therapist_id, time_zone, weekday, local_time, status, sequence, created_at, availability_json, patient_initials)
            values (@id, @referralId, @therapistId, @zone, @weekday, @time, 'booked', 0, @now, @availability, @initials)
            """,
            new
            {
                id = courseId.ToString(), referralId = referral.ReferralId.ToString(), therapistId = slot.Therapist.Id.ToString(),
                zone = zone.Id, weekday = (int)slot.Course.Day, time = slot.Course.Time.ToString("HH:mm", null),
                now = now.ToUnixTimeMilliseconds(), availability = JsonSerializer.Serialize(referral.Availability, MessageJson.Options),
                initials = Initials(referral.Patient),
            }, transaction);

        var sessions = new List<BookedSession>();
        foreach (var session in slot.Course.Sessions)
        {
            var appointmentId = Guid.NewGuid();
            await connection.ExecuteAsync(
                """
                insert into appointments (id, course_id, therapist_id, session_number, local_start, start_utc, end_utc, status)
                values (@id, @courseId, @therapistId, @number, @localStart, @start, @end, 'booked')
                """,
                new
                {
                    id = appointmentId.ToString(), courseId = courseId.ToString(), therapistId = slot.Therapist.Id.ToString(),
                    number = session.Number, localStart = LocalStartPattern.Format(session.LocalStart),
                    start = session.Start.ToUnixTimeMilliseconds(), end = (session.Start + rules.SessionLength).ToUnixTimeMilliseconds(),
                }, transaction);
            sessions.Add(new BookedSession(appointmentId, session.Number, session.LocalStart.ToDateTimeUnspecified(),
                session.Start.ToDateTimeOffset(), rules.SessionMinutes));
        }

        await VerifyWeeklyCapAsync(connection, transaction, slot);
        await connection.ExecuteAsync("delete from waitlist where referral_id = @id", new { id = referral.ReferralId.ToString() }, transaction);

        var booked = new CourseBooked(courseId, referral.ReferralId, slot.Therapist.Id, slot.Therapist.Name, zone.Id,
            NodaTime.Utility.BclConversions.ToDayOfWeek(slot.Course.Day), slot.Course.Time.ToTimeOnly(), sessions, 0, now.ToDateTimeOffset());
        await Outbox.AddAsync(connection, transaction, booked, now);
        return booked;
    }

    private async Task VerifyWeeklyCapAsync(DbConnection connection, DbTransaction transaction, CourseSlot slot)
    {
        foreach (var session in slot.Course.Sessions)
        {
            var monday = session.Start.InZone(rules.ServiceZone).Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
            var count = await connection.ExecuteScalarAsync<long>(
                "select count(*) from appointments where therapist_id = @id and status = 'booked' and start_utc >= @from and start_utc < @to",
                new
                {
                    id = slot.Therapist.Id.ToString(),
                    from = monday.AtStartOfDayInZone(rules.ServiceZone).ToInstant().ToUnixTimeMilliseconds(),
                    to = monday.PlusWeeks(1).AtStartOfDayInZone(rules.ServiceZone).ToInstant().ToUnixTimeMilliseconds(),
                }, transaction);
            if (count > slot.Therapist.MaxSessionsPerWeek)
                throw new LostRaceException($"Therapist {slot.Therapist.Id} would have {count} sessions in the week of {monday}.");
        }
    }

    /// <summary>"Alex O'Brien-Smith" → "AO": enough for a coordinator to tell sessions apart.</summary>
    public static string Initials(PatientDetails patient) =>
        string.Concat(new[] { patient.GivenName, patient.FamilyName }.Where(n => !string.IsNullOrEmpty(n)).Select(n => char.ToUpperInvariant(n.Trim()[0])));
}
