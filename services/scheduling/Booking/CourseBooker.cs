using System.Data.Common;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>
/// Books a referral's whole course in the caller's transaction: loads the diaries, runs the
/// <see cref="CourseSearch"/>, writes the course, its 16 appointments and <see cref="CourseBooked"/>
/// — or puts the referral on the waitlist with <see cref="CourseWaitlisted"/>.
/// </summary>
public sealed class CourseBooker(BookingRules rules, IClock clock)
{
    private static readonly LocalDateTimePattern LocalStartPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");
    private readonly CourseSearch _search = new(rules);

    public async Task<CourseBooked?> BookAsync(DbConnection connection, DbTransaction transaction, ReferralAccepted referral)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(referral.TimeZone) ?? rules.ServiceZone;
        var request = new SearchRequest(referral.Availability, LocalDate.FromDateOnly(referral.EarliestStart), zone);
        var from = request.EarliestStart.AtStartOfDayInZone(zone).ToInstant();
        var diaries = await LoadDiariesAsync(connection, transaction, from, from + Duration.FromDays(7 * (rules.SessionsPerCourse + 2)));
        var now = clock.GetCurrentInstant();

        var slot = _search.FindBest(request, diaries);
        if (slot is null)
        {
            const string reason = "No therapist has a weekly slot inside the patient's availability for 16 weeks.";
            await connection.ExecuteAsync(
                """
                insert into waitlist (referral_id, request_json, reason, since) values (@referralId, @json, @reason, @now)
                on conflict do nothing
                """,
                new { referralId = referral.ReferralId.ToString(), json = JsonSerializer.Serialize(referral, MessageJson.Options), reason, now = now.ToUnixTimeMilliseconds() },
                transaction);
            await Outbox.AddAsync(connection, transaction, new CourseWaitlisted(referral.ReferralId, reason, now.ToDateTimeOffset()), now);
            return null;
        }

        var courseId = Guid.NewGuid();
        await connection.ExecuteAsync(
            """
            insert into courses (id, referral_id, therapist_id, time_zone, weekday, local_time, status, sequence, created_at)
            values (@id, @referralId, @therapistId, @zone, @weekday, @time, 'booked', 0, @now)
            """,
            new
            {
                id = courseId.ToString(), referralId = referral.ReferralId.ToString(), therapistId = slot.Therapist.Id.ToString(),
                zone = zone.Id, weekday = (int)slot.Course.Day, time = slot.Course.Time.ToString("HH:mm", null),
                now = now.ToUnixTimeMilliseconds(),
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

        var booked = new CourseBooked(courseId, referral.ReferralId, slot.Therapist.Id, slot.Therapist.Name, zone.Id,
            NodaTime.Utility.BclConversions.ToDayOfWeek(slot.Course.Day), slot.Course.Time.ToTimeOnly(), sessions, 0, now.ToDateTimeOffset());
        await Outbox.AddAsync(connection, transaction, booked, now);
        return booked;
    }

    private static async Task<List<TherapistDiary>> LoadDiariesAsync(DbConnection connection, DbTransaction transaction, Instant from, Instant to)
    {
        var therapists = await connection.QueryAsync<(string Id, string Name, long MaxSessionsPerWeek)>(
            "select id, name, max_sessions_per_week from therapists order by id", transaction: transaction);
        var hours = (await connection.QueryAsync<(string TherapistId, long Weekday, long FromMinute, long ToMinute)>(
                "select therapist_id, weekday, from_minute, to_minute from working_hours", transaction: transaction))
            .ToLookup(h => h.TherapistId);
        // A week either side: the weekly cap counts whole weeks.
        var booked = (await connection.QueryAsync<(string TherapistId, long Start)>(
                """
                select therapist_id, start_utc from appointments
                where status = 'booked' and start_utc >= @from and start_utc < @to
                order by therapist_id, start_utc
                """,
                new { from = (from - Duration.FromDays(7)).ToUnixTimeMilliseconds(), to = (to + Duration.FromDays(7)).ToUnixTimeMilliseconds() },
                transaction))
            .ToLookup(b => b.TherapistId, b => Instant.FromUnixTimeMilliseconds(b.Start));

        return therapists.Select(t => new TherapistDiary(
                Guid.Parse(t.Id), t.Name, (int)t.MaxSessionsPerWeek,
                hours[t.Id].Select(h => new WorkingHours((IsoDayOfWeek)h.Weekday,
                    LocalTime.Midnight.PlusMinutes(h.FromMinute), LocalTime.Midnight.PlusMinutes(h.ToMinute))).ToList(),
                booked[t.Id].ToList()))
            .ToList();
    }
}
