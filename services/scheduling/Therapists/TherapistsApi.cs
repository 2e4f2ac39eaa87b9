using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Waitlist;
using NodaTime.Text;

namespace Dit.Scheduling.Therapists;

/// <summary>Therapists, their weekly hours and leave, and their diary (coordinator key).</summary>
public static class TherapistsApi
{
    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static IEndpointRouteBuilder MapTherapistsApi(this IEndpointRouteBuilder app)
    {
        var therapists = app.MapStaffGroup("/api/therapists", "Therapists", CoordinatorAccess.Coordinator, CoordinatorAccess.Administrator, CoordinatorAccess.Therapist);
        therapists.MapGet("/", ListAsync).WithSummary("All therapists with their weekly hours").For(CoordinatorAccess.Coordinator, CoordinatorAccess.Administrator);
        therapists.MapPost("/", CreateAsync).WithSummary("Add a therapist").For(CoordinatorAccess.Administrator);
        therapists.MapPut("/{id}/working-hours", SetHoursAsync).WithSummary("Replace a therapist's weekly working hours").For(CoordinatorAccess.Administrator);
        therapists.MapPost("/{id}/leave", AddLeaveAsync).WithSummary("Record leave (whole days, inclusive)").For(CoordinatorAccess.Administrator);
        therapists.MapDelete("/{id}/leave/{leaveId}", RemoveLeaveAsync).WithSummary("Remove recorded leave").For(CoordinatorAccess.Administrator);
        therapists.MapPut("/{id}/user", LinkUserAsync).WithSummary("Link a therapist to the person who signs in as them (their id at the provider), or unlink with null")
            .For(CoordinatorAccess.Administrator);
        therapists.MapGet("/{id}/diary", DiaryAsync).WithSummary("A therapist's sessions, leave and closed days between two dates (a therapist: their own)")
            .For(CoordinatorAccess.Coordinator, CoordinatorAccess.Therapist);
        var me = app.MapStaffGroup("/api/me", "Therapists", CoordinatorAccess.Therapist);
        me.MapGet("/", MeAsync).WithSummary("The therapist the signed-in person is (404 when no therapist is linked to them)");
        me.MapGet("/caseload", Caseload.GetAsync)
            .WithSummary("The signed-in therapist's booked courses: session n of N, phase, last PHQ-9 and GAD-7 with the one before, review and missing scores");
        return app;
    }

    public static async Task<Ok<List<TherapistView>>> ListAsync(SchedulingDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return TypedResults.Ok(await TherapistView.LoadAsync(connection, null));
    }

    public static async Task<Results<Created<TherapistView>, ProblemHttpResult>> CreateAsync(
        NewTherapist request, SchedulingDatabase database, WaitlistSignal waitlist, IClock clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100) errors["name"] = ["Required, at most 100 characters."];
        if (request.MaxSessionsPerWeek is < 1 or > 60) errors["maxSessionsPerWeek"] = ["Between 1 and 60."];
        var hours = ParseHours(request.WorkingHours ?? [], "workingHours", errors);
        if (errors.Count > 0) return Problems.BadRequest(errors);

        var id = await TherapistRoster.AddAsync(database, request.Name!.Trim(), request.MaxSessionsPerWeek ?? 25, hours, clock.GetCurrentInstant());
        waitlist.CapacityChanged();
        await using var connection = await database.OpenAsync();
        return TypedResults.Created($"/api/therapists/{id}", (await TherapistView.LoadAsync(connection, id.ToString())).Single());
    }

    public sealed record LinkUserRequest(string? UserId);

    /// <summary>The therapist, and the service's now and today (UK), which the therapist's page goes by.</summary>
    public sealed record MeView(Guid TherapistId, string Name, DateTimeOffset Now, string Today);

    public static async Task<Results<NoContent, ProblemHttpResult>> LinkUserAsync(string id, LinkUserRequest request, SchedulingDatabase database)
    {
        var userId = string.IsNullOrWhiteSpace(request.UserId) ? null : request.UserId.Trim();
        if (userId is { Length: > 200 }) return Problems.BadRequest("userId", "At most 200 characters: the person's id at the provider (sub).");
        await using var connection = await database.OpenAsync();
        if (await connection.ExecuteScalarAsync<long>("select count(*) from therapists where user_id = @userId and id <> @id", new { userId, id }) > 0)
            return Problems.Conflict("That person is already linked to another therapist");
        var changed = await connection.ExecuteAsync("update therapists set user_id = @userId where id = @id", new { id, userId });
        return changed == 0 ? Problems.NotFound("No such therapist") : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeView>, ProblemHttpResult>> MeAsync(SchedulingDatabase database, IClock clock, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        return await OwnPatients.TherapistOfAsync(connection, http) is { } me
            ? TypedResults.Ok(new MeView(Guid.Parse(me.Id), me.Name, clock.GetCurrentInstant().ToDateTimeOffset(), Format(CourseShape.Today(clock))))
            : Problems.NotFound("No therapist is linked to you: an administrator links you (PUT /api/therapists/{id}/user)");
    }

    public static async Task<Results<Ok<TherapistView>, ProblemHttpResult>> SetHoursAsync(
        string id, List<HoursRequest> request, SchedulingDatabase database, WaitlistSignal waitlist)
    {
        var errors = new Dictionary<string, string[]>();
        var hours = ParseHours(request, "", errors);
        if (errors.Count > 0) return Problems.BadRequest(errors);
        var found = await database.InTransactionAsync(async (connection, transaction) =>
        {
            if (!await TherapistLock.TakeAsync(connection, transaction, id)) return false;
            await connection.ExecuteAsync("delete from working_hours where therapist_id = @id", new { id }, transaction);
            await TherapistRoster.AddHoursAsync(connection, transaction, id, hours);
            return true;
        });
        if (!found) return Problems.NotFound("No such therapist");
        waitlist.CapacityChanged();
        await using var reader = await database.OpenAsync();
        return TypedResults.Ok((await TherapistView.LoadAsync(reader, id)).Single());
    }

    public static async Task<Results<Created<LeaveView>, ProblemHttpResult>> AddLeaveAsync(
        string id, LeaveRequest request, SchedulingDatabase database, BookingRules rules, IClock clock)
    {
        var today = CourseShape.Today(clock);
        var from = DateInput.ReadDate(request.From, today, out var fromError);
        var to = DateInput.ReadDate(request.To, today, out var toError);
        var errors = new Dictionary<string, string[]>();
        if (fromError is not null) errors["from"] = [fromError];
        if (toError is not null) errors["to"] = [toError];
        if (from is not null && to is not null && to < from) errors["to"] = ["On or after 'from'."];
        if (from is not null && to is not null && Period.Between(from.Value, to.Value, PeriodUnits.Days).Days > 366) errors["to"] = ["At most a year of leave at once."];
        if (errors.Count > 0) return Problems.BadRequest(errors);

        var leaveId = Guid.NewGuid().ToString();
        var added = await database.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteScalarAsync<long>("select count(*) from therapists where id = @id", new { id }, transaction) == 0) return null;
            await connection.ExecuteAsync(
                "insert into leave (id, therapist_id, from_date, to_date, reason, created_at) values (@leaveId, @id, @from, @to, @reason, @now)",
                new { leaveId, id, from = Format(from!.Value), to = Format(to!.Value), reason = request.Reason, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() },
                transaction);
            // Sessions already booked in the leave are not moved by themselves: the coordinator sees them here.
            var clashes = await connection.QueryAsync<string>(
                """
                select id from appointments where therapist_id = @id and status = 'booked'
                and substr(local_start, 1, 10) >= @from and substr(local_start, 1, 10) <= @to order by start_utc
                """, new { id, from = Format(from.Value), to = Format(to.Value) }, transaction);
            return new LeaveView(Guid.Parse(leaveId), Format(from.Value), Format(to.Value), request.Reason, clashes.Select(Guid.Parse).ToList());
        });
        return added is null ? Problems.NotFound("No such therapist") : TypedResults.Created($"/api/therapists/{id}/leave/{leaveId}", added);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveLeaveAsync(string id, string leaveId, SchedulingDatabase database, WaitlistSignal waitlist)
    {
        await using var connection = await database.OpenAsync();
        var removed = await connection.ExecuteAsync("delete from leave where id = @leaveId and therapist_id = @id", new { id, leaveId });
        if (removed == 0) return Problems.NotFound("No such leave");
        waitlist.CapacityChanged();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<DiaryView>, ProblemHttpResult>> DiaryAsync(string id, [DateText] string? from, [DateText] string? to, SchedulingDatabase database,
        BookingRules rules, IClock clock, HttpContext http)
    {
        var today = CourseShape.Today(clock);
        var fromDate = DateInput.ReadDate(from, today, out var fromError);
        var toDate = DateInput.ReadDate(to, today, out var toError);
        var errors = new Dictionary<string, string[]>();
        if (fromError is not null) errors["from"] = [fromError];
        if (toError is not null) errors["to"] = [toError];
        if (fromDate is not null && toDate is not null && (toDate < fromDate || Period.Between(fromDate.Value, toDate.Value, PeriodUnits.Days).Days > 92))
            errors["to"] = ["On or after 'from', at most 92 days later."];
        if (errors.Count > 0) return Problems.BadRequest(errors);

        await using var connection = await database.OpenAsync();
        var therapist = await connection.QuerySingleOrDefaultAsync<string>("select name from therapists where id = @id", new { id });
        if (therapist is null || !await OwnPatients.MaySeeTherapistAsync(connection, http, id)) return Problems.NotFound("No such therapist");
        var start = fromDate!.Value.AtStartOfDayInZone(rules.ServiceZone).ToInstant();
        var end = toDate!.Value.PlusDays(1).AtStartOfDayInZone(rules.ServiceZone).ToInstant();
        var sessions = await connection.QueryAsync<(string Id, string CourseId, string ReferralId, long Number, long StartUtc, string Status, string? Attendance, string? CancelledBy, string? Initials, long CourseSessions, string? JoinUrl)>(
            """
            select a.id, a.course_id, c.referral_id, a.session_number, a.start_utc, a.status, a.attendance, a.cancelled_by, c.patient_initials,
                   (select max(b.session_number) from appointments b where b.course_id = a.course_id),
                   case when a.status = 'booked' and c.status = 'booked' then c.join_url end
            from appointments a join courses c on c.id = a.course_id
            where a.therapist_id = @id and a.start_utc >= @start and a.start_utc < @end order by a.start_utc
            """, new { id, start = start.ToUnixTimeMilliseconds(), end = end.ToUnixTimeMilliseconds() });
        var leave = await connection.QueryAsync<(string Id, string From, string To, string? Reason)>(
            "select id, from_date, to_date, reason from leave where therapist_id = @id and to_date >= @from and from_date <= @to order by from_date",
            new { id, from = Format(fromDate.Value), to = Format(toDate.Value) });
        var closed = (await ClosedDays.LoadAsync(connection, null)).Between(fromDate.Value, toDate.Value);
        // A course's skipped weeks show in its therapist's diary, so a coordinator sees why that week is empty.
        var skipped = (await connection.QueryAsync<(string CourseId, string? Initials, string Weeks)>(
                "select id, patient_initials, skipped_weeks from courses where therapist_id = @id and status = 'booked' and skipped_weeks is not null",
                new { id }))
            .SelectMany(c => c.Weeks.Split(',').Select(w => new SkippedWeekView(Guid.Parse(c.CourseId), c.Initials ?? "", w)))
            .Where(w => string.CompareOrdinal(w.Date, Format(fromDate.Value)) >= 0 && string.CompareOrdinal(w.Date, Format(toDate.Value)) <= 0)
            .ToList();
        await http.CoursesReadAsync(database, "diary.read", sessions.Select(s => (Guid.Parse(s.CourseId), Guid.Parse(s.ReferralId))));
        return TypedResults.Ok(new DiaryView(Guid.Parse(id), therapist, Format(fromDate.Value), Format(toDate.Value),
            sessions.Select(s =>
            {
                var startUtc = Instant.FromUnixTimeMilliseconds(s.StartUtc);
                return new DiarySession(Guid.Parse(s.Id), Guid.Parse(s.CourseId), Guid.Parse(s.ReferralId), (int)s.Number,
                    startUtc.InZone(rules.ServiceZone).LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm", null), startUtc.ToDateTimeOffset(),
                    s.Status, s.Attendance, s.CancelledBy, s.Initials ?? "", (int)s.CourseSessions, s.JoinUrl);
            }).ToList(),
            leave.Select(l => new LeaveView(Guid.Parse(l.Id), l.From, l.To, l.Reason, [])).ToList(),
            closed.Select(c => new ClosedDay(Format(c.Date), c.Name)).ToList(), skipped));
    }

    public static List<WeeklyHours> ParseHours(IReadOnlyList<HoursRequest> ranges, string prefix, Dictionary<string, string[]> errors)
    {
        var hours = new List<WeeklyHours>();
        for (var i = 0; i < ranges.Count; i++)
        {
            var field = prefix.Length == 0 ? $"[{i}]" : $"{prefix}[{i}]";
            var range = ranges[i];
            var dayOk = Enum.TryParse<IsoDayOfWeek>(range.Day, true, out var day) && day != IsoDayOfWeek.None && !int.TryParse(range.Day, out _);
            var from = range.From is null ? null : HourMinute.Parse(range.From) is { Success: true } f ? f.Value : (LocalTime?)null;
            var to = range.To is null ? null : HourMinute.Parse(range.To) is { Success: true } t ? t.Value : (LocalTime?)null;
            if (!dayOk) errors[$"{field}.day"] = ["A weekday name, Monday to Sunday."];
            if (from is null) errors[$"{field}.from"] = ["A time, HH:mm."];
            if (to is null) errors[$"{field}.to"] = ["A time, HH:mm."];
            if (from is null || to is null || !dayOk) continue;
            if (from < CourseShape.DayOpens || to > CourseShape.DayCloses || from >= to) errors[field] = ["A range inside 07:00–23:00, 'from' before 'to'."];
            else hours.Add(new WeeklyHours(day, from.Value, to.Value));
        }
        return hours;
    }


    public static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
