using Dit.Scheduling.Booking;
using Dit.Scheduling.Waitlist;

namespace Dit.Scheduling.Coordinators;

/// <summary>A course as a whole: read it, move this and all following sessions, cancel it.</summary>
public static class CoursesApi
{
    public static IEndpointRouteBuilder MapCoursesApi(this IEndpointRouteBuilder app)
    {
        var courses = app.MapStaffGroup("/api/courses", "Courses", CoordinatorAccess.Coordinator, CoordinatorAccess.ClinicalLead);
        courses.MapGet("/flagged", FlaggedAsync).WithSummary("Courses flagged for review (two DNAs)").For(CoordinatorAccess.Coordinator);
        courses.MapGet("/{id}", GetAsync).WithSummary("A course and its sessions (16, up to 20 once extended)");
        courses.MapPost("/{id}/reschedule-following", RescheduleFollowingAsync).WithSummary("Move a session and every later one to a new weekly slot")
            .For(CoordinatorAccess.Coordinator);
        courses.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancel the whole course").For(CoordinatorAccess.Coordinator);
        courses.MapPost("/{id}/extend", ExtendAsync).WithSummary("Extend the course to up to 20 sessions: same weekly time where free, otherwise the nearest free time that week; the patient gets one update")
            .For(CoordinatorAccess.Coordinator);
        courses.MapPost("/{id}/end", EndAsync).WithSummary("End the therapy early, with a reason: sessions still to come are cancelled, and the outcome is worked out from the scores so far")
            .For(CoordinatorAccess.Coordinator);
        courses.MapPost("/{id}/reassign", ReassignAsync).WithSummary("Give a session and every later one to another therapist (same times where free), all or none")
            .For(CoordinatorAccess.Coordinator);
        return app;
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> GetAsync(string id, SchedulingDatabase database, HttpContext http)
    {
        var course = Guid.TryParse(id, out _) ? await CourseView.LoadAsync(database, id) : null;
        if (course is null) return Problems.NotFound("No such course");
        await http.CourseReadAsync(database, "course.read", course.Id, course.ReferralId);
        return TypedResults.Ok(course);
    }

    public static async Task<Ok<List<CourseView>>> FlaggedAsync(SchedulingDatabase database, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var ids = await connection.QueryAsync<string>("select id from courses where flagged_for_review = 1 order by created_at");
        var courses = new List<CourseView>();
        foreach (var id in ids) courses.Add((await CourseView.LoadAsync(database, id))!);
        await http.CoursesReadAsync(database, "course.read", courses.Select(c => (c.Id, c.ReferralId)));
        return TypedResults.Ok(courses);
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> RescheduleFollowingAsync(
        string id, RescheduleFollowingRequest request, SchedulingDatabase database, SessionMoves moves, IClock clock, WaitlistSignal waitlist, HttpContext http)
    {
        if (request.FromSession is not (>= 1 and <= CourseShape.MaxSessions))
            return Problems.BadRequest("fromSession", $"A session number, 1 to {CourseShape.MaxSessions}.");
        if (DateInput.ReadLocalDateTime(request.Start, CourseShape.Today(clock), out var startError) is not { } start)
            return Problems.BadRequest("start", $"The new local date and time of that session in the course's time zone: {startError}");
        if (!Guid.TryParse(id, out _)) return Problems.NotFound("No such course");
        return await ChangeCourseAsync(id, database, waitlist, "Nothing was changed; choose another slot.", async (connection, transaction) =>
        {
            await CourseRow.LockAsync(connection, transaction, id);
            var sessions = await SessionRow.ForCourseAsync(connection, transaction, id);
            if (sessions.Count == 0) return false;
            var following = sessions.Where(s => s.Number >= request.FromSession && s.Status == "booked").ToList();
            if (following.Count == 0 || following[0].Number != request.FromSession)
                throw new RefusedException(new MoveRefusal(false, "fromSession", $"Session {request.FromSession} is not a booked session of this course."));
            var plan = following.Select(s => (s, start.PlusWeeks((int)(s.Number - request.FromSession)))).ToList();
            var (moved, refused) = await moves.MoveAsync(connection, transaction, plan, request.OverrideWindows ?? false);
            if (refused is not null) throw new RefusedException(refused);

            var now = clock.GetCurrentInstant();
            await http.AuditCourseAsync(connection, transaction, database, id, "course.rescheduled",
                new FieldChange($"sessions {request.FromSession}+ start", following[0].LocalStart, SessionRow.LocalPattern.Format(start)));
            await connection.ExecuteAsync("update courses set weekday = @weekday, local_time = @time where id = @id",
                new { id, weekday = (int)start.DayOfWeek, time = start.TimeOfDay.ToString("HH:mm", null) }, transaction);
            var sequence = await CourseRow.NextSequenceAsync(connection, transaction, id);
            await Outbox.AddAsync(connection, transaction, new CourseRescheduled(Guid.Parse(id), Guid.Parse(sessions[0].ReferralId),
                NodaTime.Utility.BclConversions.ToDayOfWeek(start.DayOfWeek), start.TimeOfDay.ToTimeOnly(), moved!,
                sequence, now.ToDateTimeOffset()) { By = http.Actor(ApiKeyAuthentication.Coordinator) }, now);
            return true;
        });
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> ReassignAsync(
        string id, ReassignRequest request, SchedulingDatabase database, CourseReassignment reassignment, WaitlistSignal waitlist, HttpContext http)
    {
        if (request.FromSession is not (>= 1 and <= CourseShape.MaxSessions))
            return Problems.BadRequest("fromSession", $"A session number, 1 to {CourseShape.MaxSessions}.");
        if (!Guid.TryParse(id, out _)) return Problems.NotFound("No such course");
        return await ChangeBookedCourseAsync(id, database, waitlist, async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<string>(
                "select therapist_id from appointments where course_id = @id and session_number = @number", new { id, number = request.FromSession }, transaction);
            await http.AuditCourseAsync(connection, transaction, database, id, "course.reassigned",
                new FieldChange($"sessions {request.FromSession}+ therapist", before, request.TherapistId?.ToString()));
            return (await reassignment.ReassignAsync(connection, transaction, id, request.FromSession.Value, request.TherapistId, http.Actor(ApiKeyAuthentication.Coordinator))).Refusal;
        });
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> ExtendAsync(
        string id, ExtendRequest request, SchedulingDatabase database, CourseExtension extension, WaitlistSignal waitlist, HttpContext http)
    {
        if (request.Sessions is not (> CourseShape.StandardSessions and <= CourseShape.MaxSessions))
            return Problems.BadRequest("sessions", $"The course's new length, {CourseShape.StandardSessions + 1} to {CourseShape.MaxSessions} sessions.");
        if (!Guid.TryParse(id, out _)) return Problems.NotFound("No such course");
        return await ChangeBookedCourseAsync(id, database, waitlist, async (connection, transaction) =>
        {
            var before = await connection.ExecuteScalarAsync<long>("select max(session_number) from appointments where course_id = @id", new { id }, transaction);
            await http.AuditCourseAsync(connection, transaction, database, id, "course.extended",
                new FieldChange("sessions", before.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Sessions.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return (await extension.ExtendAsync(connection, transaction, id, request.Sessions.Value, http.Actor(ApiKeyAuthentication.Coordinator))).Refusal;
        });
    }

    /// <summary>A change that only a booked course takes, made with the course's row lock held (409 when it is not booked).</summary>
    private static Task<Results<Ok<CourseView>, ProblemHttpResult>> ChangeBookedCourseAsync(string id, SchedulingDatabase database, WaitlistSignal waitlist,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<MoveRefusal?>> change) =>
        ChangeCourseAsync(id, database, waitlist, "Nothing was changed; try again.", async (connection, transaction) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>("select status from courses where id = @id", new { id }, transaction);
            if (status is null) return false;
            if (status != "booked") throw new RefusedException(new MoveRefusal(true, "course", $"The course is {status}."));
            await CourseRow.LockAsync(connection, transaction, id);
            if (await change(connection, transaction) is { } refused) throw new RefusedException(refused);
            return true;
        });

    /// <summary>
    /// Runs a change to a whole course in one transaction: 404 when <paramref name="change"/> finds no course, the
    /// refusal it throws (nothing kept), 409 when a time was taken meanwhile; otherwise the course as it now stands, and
    /// the waitlist is tried again (the change may have freed time).
    /// </summary>
    private static async Task<Results<Ok<CourseView>, ProblemHttpResult>> ChangeCourseAsync(string id, SchedulingDatabase database,
        WaitlistSignal waitlist, string conflictDetail, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<bool>> change)
    {
        try
        {
            if (!await database.InTransactionAsync(change)) return Problems.NotFound("No such course");
            waitlist.CapacityChanged();
            return TypedResults.Ok((await CourseView.LoadAsync(database, id))!);
        }
        catch (RefusedException refused)
        {
            return AppointmentsApi.Refuse(refused.Refusal);
        }
        catch (Exception exception) when (database.Dialect.IsUniqueViolation(exception))
        {
            return Problems.Conflict("One of those times was taken a moment ago", conflictDetail);
        }
    }

    public static Task<Results<Ok<CourseView>, ProblemHttpResult>> CancelAsync(
        string id, CancelCourseRequest request, SchedulingDatabase database, IClock clock, WaitlistSignal waitlist, HttpContext http) =>
        EndCourseAsync(id, request, database, clock, waitlist, "cancelled", http);

    public static Task<Results<Ok<CourseView>, ProblemHttpResult>> EndAsync(
        string id, CancelCourseRequest request, SchedulingDatabase database, IClock clock, WaitlistSignal waitlist, HttpContext http) =>
        EndCourseAsync(id, request, database, clock, waitlist, "ended", http);

    private static async Task<Results<Ok<CourseView>, ProblemHttpResult>> EndCourseAsync(
        string id, CancelCourseRequest request, SchedulingDatabase database, IClock clock, WaitlistSignal waitlist, string endStatus, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
            return Problems.BadRequest("reason", "Required, at most 500 characters.");
        if (!Guid.TryParse(id, out var courseId)) return Problems.NotFound("No such course");
        var status = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<string>("select status from courses where id = @id", new { id }, transaction);
            if (current == "booked")
            {
                await http.AuditCourseAsync(connection, transaction, database, id, $"course.{endStatus}",
                    new FieldChange("status", current, endStatus), FieldChange.Withheld("reason"));
                await CourseCancellation.CancelCourseAsync(connection, transaction, courseId,
                    endStatus == "ended" ? $"Ended early: {request.Reason.Trim()}" : request.Reason.Trim(), "clinic",
                    http.Actor(ApiKeyAuthentication.Coordinator), clock.GetCurrentInstant(), endStatus);
            }
            return current;
        });
        if (status is null) return Problems.NotFound("No such course");
        if (status != "booked") return Problems.Conflict($"The course is {status}");
        waitlist.CapacityChanged();
        return TypedResults.Ok((await CourseView.LoadAsync(database, id))!);
    }
}
