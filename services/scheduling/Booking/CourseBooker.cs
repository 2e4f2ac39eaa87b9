using Dit.Scheduling.Therapists;
using System.Text.Json;
using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>
/// Books a referral's whole course in the caller's transaction: takes the diaries (kept in memory, <see cref="DiaryCache"/>), runs the
/// <see cref="CourseSearch"/>, writes the course, its 16 appointments and <see cref="CourseBooked"/>
/// — or puts the referral on the waitlist with <see cref="CourseWaitlisted"/>.
/// </summary>
public sealed class CourseBooker(SchedulingDatabase database, BookingRules rules, CourseSearch search, DiaryCache diaryCache, ScarcityCache scarcity,
    VideoRooms video, IClock clock)
{
    private static readonly LocalDateTimePattern LocalStartPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    /// <summary>Books the course, or waitlists the referral (announced once) when nothing fits, saying why.</summary>
    public async Task<CourseBooked?> BookOrWaitlistAsync(DbConnection connection, DbTransaction transaction, ReferralForBooking referral)
    {
        var attempt = await TryBookAsync(connection, transaction, referral);
        if (attempt.Booked is not null || attempt.Withdrawn) return attempt.Booked;
        var now = clock.GetCurrentInstant();
        var added = await connection.ExecuteAsync(
            """
            insert into waitlist (referral_id, request_json, reason, since, last_tried, explained_at) values (@referralId, @json, @reason, @now, @now, @now)
            on conflict do nothing
            """,
            new { referralId = referral.ReferralId.ToString(), json = JsonSerializer.Serialize(referral, MessageJson.Options), reason = attempt.WaitReason, now = now.ToUnixTimeMilliseconds() },
            transaction);
        if (added == 1)
            await Outbox.AddAsync(connection, transaction, new CourseWaitlisted(referral.ReferralId, attempt.WaitReason!, now.ToDateTimeOffset()), now);
        return null;
    }

    /// <summary>
    /// Books the best course if one fits, and takes the referral off the waitlist; otherwise says why nothing fits and
    /// records on the waitlist row (if any) that it was tried. The search always starts from now (plus the lead time),
    /// never before the referral's earliest start.
    /// A referral already withdrawn (the withdrawal overtook the booking) is neither booked nor waitlisted.
    /// Throws <see cref="LostRaceException"/> (or a unique violation) when a concurrent booking got there first.
    /// </summary>
    public async Task<BookingAttempt> TryBookAsync(DbConnection connection, DbTransaction transaction, ReferralForBooking referral)
    {
        await database.Dialect.LockAsync(connection, transaction, referral.ReferralId);
        // (The withdrawal itself took any waitlist row away, under the same lock.)
        if (await Withdrawals.IsWithdrawnAsync(connection, transaction, referral.ReferralId)) return new BookingAttempt(null, null, Withdrawn: true);
        var now = clock.GetCurrentInstant();
        var request = RequestFor(referral, await ClosedDays.LoadAsync(connection, transaction));
        var zone = request.Zone;
        var from = CourseSearch.NotBefore(request);
        var diaries = await diaryCache.LoadAsync(connection, transaction, from, from + rules.DiaryReach(rules.HorizonWeeks));

        if (rules.ScarceTimesLast) request = request with { Scarcity = await scarcity.GetAsync(connection, transaction, diaries) };
        var slot = search.FindBest(request, diaries);
        if (slot is null)
        {
            var reason = await WhyNothingFitsAsync(connection, transaction, request, diaries);
            await connection.ExecuteAsync("update waitlist set reason = @reason, last_tried = @now, explained_at = @now where referral_id = @id",
                new { id = referral.ReferralId.ToString(), reason, now = now.ToUnixTimeMilliseconds() }, transaction);
            return new BookingAttempt(null, reason);
        }

        // One booking at a time per therapist: the no-op update takes the therapist's row lock, so the
        // weekly cap checked below sees every booking committed before ours.
        await TherapistLock.TakeAsync(connection, transaction, slot.Therapist.Id.ToString());

        var courseId = Guid.NewGuid();
        var joinUrl = video.NewJoinUrl();
        await connection.ExecuteAsync(
            """
            insert into courses (id, referral_id, therapist_id, time_zone, weekday, local_time, status, sequence, created_at, availability_json, patient_initials, skipped_weeks, referred_at, join_url, earliest_start)
            values (@id, @referralId, @therapistId, @zone, @weekday, @time, 'booked', 0, @now, @availability, @initials, @skipped, @referredAt, @joinUrl, @earliestStart)
            """,
            new
            {
                id = courseId.ToString(), referralId = referral.ReferralId.ToString(), therapistId = slot.Therapist.Id.ToString(),
                zone = zone.Id, weekday = (int)slot.Course.Day, time = slot.Course.Time.ToString("HH:mm", null),
                now = now.ToUnixTimeMilliseconds(), availability = JsonSerializer.Serialize(referral.Availability, MessageJson.Options),
                initials = referral.PatientInitials, skipped = SkippedWeeksText(slot.Course.SkippedWeeks),
                referredAt = Instant.FromDateTimeOffset(referral.OccurredAt).ToUnixTimeMilliseconds(), joinUrl,
                earliestStart = LocalDatePattern.Iso.Format(LocalDate.FromDateOnly(referral.EarliestStart)),
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
            NodaTime.Utility.BclConversions.ToDayOfWeek(slot.Course.Day), slot.Course.Time.ToTimeOnly(), sessions, 0, now.ToDateTimeOffset())
        {
            SkippedWeeks = slot.Course.SkippedWeeks.Select(d => d.ToDateOnly()).ToList(),
            Shape = rules.Course,
            JoinUrl = joinUrl,
        };
        await Outbox.AddAsync(connection, transaction, booked, now);
        return new BookingAttempt(booked, null);
    }

    /// <summary>
    /// A coordinator's answer to "why is this referral still waiting?": the patient's times against the therapists'
    /// hours, or — when the hours fit — the first week a course would start if the search looked a year ahead.
    /// </summary>
    private async Task<string> WhyNothingFitsAsync(DbConnection connection, DbTransaction transaction, SearchRequest request,
        IReadOnlyList<TherapistDiary> diaries)
    {
        if (search.WhyNothingFits(request, diaries) is { } reason) return reason;
        var from = CourseSearch.NotBefore(request);
        return WhyNothingFits(request, await Diaries.LoadAsync(connection, transaction, from, from + YearAhead));
    }

    /// <summary>How far ahead the diaries must reach for <see cref="WhyNothingFits(SearchRequest, IReadOnlyList{TherapistDiary})"/>.</summary>
    public Duration YearAhead => rules.DiaryReach(YearWeeks);

    private const int YearWeeks = 52;

    /// <summary>The search request for a referral: its windows and zone, from the later of its earliest start and now plus the lead time.</summary>
    public SearchRequest RequestFor(ReferralForBooking referral, ClosedDays closedDays) =>
        SearchRequest.For(referral, closedDays, clock.GetCurrentInstant(), rules);

    /// <summary>Why nothing fits, given diaries that reach a year ahead (<see cref="YearAhead"/>).</summary>
    public string WhyNothingFits(SearchRequest request, IReadOnlyList<TherapistDiary> yearOfDiaries)
    {
        if (search.WhyNothingFits(request, yearOfDiaries) is { } reason) return reason;
        var later = search.FindBest(request, yearOfDiaries, YearWeeks);
        var full = $"Every therapist whose hours fit the patient's times is fully booked for the next {rules.HorizonWeeks} weeks";
        return later is null
            ? full + " and for the year after."
            : full + $"; the first course free would start on {later.Course.Sessions[0].LocalStart.Date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}.";
    }

    /// <summary>Throws <see cref="LostRaceException"/> when the slot's therapist now has more sessions in one of its weeks than they may.</summary>
    public async Task VerifyWeeklyCapAsync(DbConnection connection, DbTransaction transaction, CourseSlot slot)
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

    public static string? SkippedWeeksText(IReadOnlyList<LocalDate> weeks) =>
        weeks.Count == 0 ? null : string.Join(",", weeks.Select(d => LocalDatePattern.Iso.Format(d)));
}
