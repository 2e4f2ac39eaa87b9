using Dit.Scheduling.Therapists;
using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Extends a booked course to up to 20 sessions, all or none: each new session goes a week after the one before, at the
/// course's weekly time where the therapist is free, otherwise at the nearest free time that week inside the patient's
/// windows; a closed week is skipped (at most <see cref="BookingRules.MaxSkippedWeeks"/> in all). Announced once, as
/// <see cref="CourseExtended"/>, so the patient gets one update.
/// </summary>
public sealed class CourseExtension(CourseSearch search, BookingRules rules, IClock clock)
{
    public async Task<(CourseExtended? Extended, MoveRefusal? Refusal)> ExtendAsync(DbConnection connection, DbTransaction transaction,
        string courseId, int sessions, Actor by)
    {
        var now = clock.GetCurrentInstant();
        var course = await SessionRow.ForCourseAsync(connection, transaction, courseId);
        var last = (int)course.Max(s => s.Number);
        if (sessions <= last) return (null, new MoveRefusal(false, "sessions", $"The course has {last} sessions already; extend to more, up to {CourseShape.MaxSessions}."));
        var previous = course.Where(s => s.Status == "booked").MaxBy(s => s.Number)
            ?? throw new InvalidOperationException("A booked course has a booked session.");
        var weekly = await connection.QuerySingleAsync<(long Weekday, string Time)>("select weekday, local_time from courses where id = @courseId",
            new { courseId }, transaction);
        var time = NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(weekly.Time).Value;

        await TherapistLock.TakeAsync(connection, transaction, previous.TherapistId);
        var diary = (await Diaries.LoadAsync(connection, transaction, previous.Start - Duration.FromDays(7),
            previous.Start + Duration.FromDays(7 * (sessions - last + rules.MaxSkippedWeeks + 2)), previous.TherapistId)).Single();
        var closed = await ClosedDays.LoadAsync(connection, transaction);
        var windows = previous.Windows.Count == 0 ? null : previous.Windows;
        var booked = diary.BookedStarts.ToList();
        var added = new List<BookedSession>();
        var (week, skipped, after) = (previous.Local.Date, 0, (Instant?)previous.Start);
        for (var number = last + 1; number <= sessions;)
        {
            week = week.PlusWeeks(1);
            var local = week.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)).With(DateAdjusters.NextOrSame((IsoDayOfWeek)weekly.Weekday)).At(time);
            var regular = new PlannedSession(number, local, previous.Zone.AtLeniently(local).ToInstant());
            var taking = diary with { BookedStarts = booked };
            var place = search.Fits(taking, regular.Start, closed) && search.InsideServiceDay(regular.Start)
                ? regular
                : search.NearestFreeInWeek(taking, regular, previous.Zone, windows, closed, after, now + Duration.Epsilon);
            if (place is null)
            {
                if (++skipped > rules.MaxSkippedWeeks)
                    return (null, new MoveRefusal(true, "sessions", $"No free time for session {number} with this therapist within {rules.MaxSkippedWeeks + 1} weeks."));
                continue;
            }
            var id = Guid.NewGuid();
            await connection.ExecuteAsync(
                """
                insert into appointments (id, course_id, therapist_id, session_number, local_start, start_utc, end_utc, status)
                values (@id, @courseId, @therapist, @number, @local, @start, @end, 'booked')
                """,
                new
                {
                    id = id.ToString(), courseId, therapist = previous.TherapistId, number, local = SessionRow.LocalPattern.Format(place.LocalStart),
                    start = place.Start.ToUnixTimeMilliseconds(), end = (place.Start + rules.SessionLength).ToUnixTimeMilliseconds(),
                }, transaction);
            added.Add(new BookedSession(id, number, place.LocalStart.ToDateTimeUnspecified(), place.Start.ToDateTimeOffset(), rules.SessionMinutes));
            var at = booked.BinarySearch(place.Start);
            booked.Insert(at < 0 ? ~at : at, place.Start);
            after = place.Start;
            week = place.LocalStart.Date;
            number++;
        }
        var sequence = await CourseRow.NextSequenceAsync(connection, transaction, courseId);
        var extended = new CourseExtended(Guid.Parse(courseId), Guid.Parse(previous.ReferralId), added, sessions, sequence, now.ToDateTimeOffset()) { By = by };
        await Outbox.AddAsync(connection, transaction, extended, now);
        return (extended, null);
    }
}
