using Dit.Scheduling.Booking;
using Dit.Scheduling.Waitlist;

namespace Dit.Scheduling.Coordinators;

/// <summary>What a coordinator does to one session: find alternatives, move it, cancel it, record attendance.</summary>
public static class AppointmentsApi
{
    public static IEndpointRouteBuilder MapAppointmentsApi(this IEndpointRouteBuilder app)
    {
        var appointments = app.MapStaffGroup("/api/appointments", "Appointments", CoordinatorAccess.Coordinator, CoordinatorAccess.Therapist);
        appointments.MapGet("/{id}/alternatives", AlternativesAsync).WithSummary("Free times for this session with the same therapist, same week first, keeping the course in order (overrideWindows: any time)")
            .For(CoordinatorAccess.Coordinator);
        appointments.MapPost("/{id}/reschedule", RescheduleAsync).WithSummary("Move one session (local time in the course's zone)").For(CoordinatorAccess.Coordinator);
        appointments.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancel one session, by the patient or by the clinic").For(CoordinatorAccess.Coordinator);
        appointments.MapPost("/{id}/attendance", AttendanceAsync).WithSummary("Record attended, DNA or late cancel; two DNAs flag the course (a therapist: their own sessions)");
        return app;
    }

    public static async Task<Results<Ok<List<AlternativeView>>, ProblemHttpResult>> AlternativesAsync(
        string id, bool? overrideWindows, SchedulingDatabase database, CourseSearch search, IClock clock, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var session = await SessionRow.LoadAsync(connection, null, id);
        if (session is null) return Problems.NotFound("No such session");
        var zone = session.Zone;
        var monday = session.Local.Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        var diary = (await Diaries.LoadAsync(connection, null, session.Start - Duration.FromDays(21), session.Start + Duration.FromDays(21),
            session.TherapistId, exceptAppointmentId: session.Id)).Single();
        var closed = await ClosedDays.LoadAsync(connection, null);
        var anyTime = overrideWindows == true;
        var windows = anyTime || session.Windows.Count == 0 ? null : session.Windows;
        var now = clock.GetCurrentInstant();

        // The course stays in order: after the session before, before the session after, and never in another
        // session's week — unless the coordinator asks for any time.
        var others = (await SessionRow.ForCourseAsync(connection, null, session.CourseId)).Where(s => s.Status == "booked" && s.Id != session.Id).ToList();
        var previous = others.Where(s => s.Number < session.Number).Select(s => (Instant?)s.Start).LastOrDefault();
        var next = others.Where(s => s.Number > session.Number).Select(s => (Instant?)s.Start).FirstOrDefault();
        var otherWeeks = others.Select(s => WeekOf(s.Local.Date)).ToHashSet();
        bool KeepsOrder(PlannedSession s) => anyTime ||
            ((previous is null || s.Start >= previous.Value + search.Rules.SessionLength) && (next is null || s.Start + search.Rules.SessionLength <= next.Value)
             && !otherWeeks.Contains(WeekOf(s.LocalStart.Date)));

        var free = search.FreeStarts(diary, monday.PlusWeeks(-2), monday.PlusWeeks(3).PlusDays(-1), zone, windows, closed, session.Start)
            .Where(s => s.Start > now && s.Start != session.Start && KeepsOrder(s))
            .Select(s => (Slot: s, Weeks: Math.Abs(Period.Between(monday, WeekOf(s.LocalStart.Date), PeriodUnits.Weeks).Weeks)))
            .OrderBy(x => x.Weeks).ThenBy(x => Duration.Max(x.Slot.Start - session.Start, session.Start - x.Slot.Start))
            .Take(30)
            .Select(x => new AlternativeView(SessionRow.LocalPattern.Format(x.Slot.LocalStart), x.Slot.Start.ToDateTimeOffset(), x.Weeks == 0))
            .ToList();
        await http.CourseReadAsync(database, "session.alternatives.read", Guid.Parse(session.CourseId), Guid.Parse(session.ReferralId));
        return TypedResults.Ok(free);
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> RescheduleAsync(
        string id, RescheduleRequest request, SchedulingDatabase database, SessionMoves moves, IClock clock, WaitlistSignal waitlist, HttpContext http)
    {
        if (DateInput.ReadLocalDateTime(request.Start, CourseShape.Today(clock), out var startError) is not { } start)
            return Problems.BadRequest("start", $"The new start, in the course's time zone: {startError}");
        try
        {
            var (courseId, refusal) = await database.InTransactionAsync(async (connection, transaction) =>
            {
                var session = await SessionRow.LoadAsync(connection, transaction, id);
                if (session is null) return ((string?)null, (MoveRefusal?)null);
                await CourseRow.LockAsync(connection, transaction, session.CourseId);
                session = (await SessionRow.LoadAsync(connection, transaction, id))!;
                var (moved, refused) = await moves.MoveAsync(connection, transaction, [(session, start)], request.OverrideWindows ?? false);
                if (refused is not null) throw new RefusedException(refused);
                var now = clock.GetCurrentInstant();
                var sequence = await CourseRow.NextSequenceAsync(connection, transaction, session.CourseId);
                var move = moved!.Single();
                await http.AuditCourseAsync(connection, transaction, database, session.CourseId, "session.moved",
                    new FieldChange($"session {move.SessionNumber} start", SessionRow.LocalPattern.Format(LocalDateTime.FromDateTime(move.OldLocalStart)),
                        SessionRow.LocalPattern.Format(LocalDateTime.FromDateTime(move.NewLocalStart))));
                await Outbox.AddAsync(connection, transaction, new AppointmentRescheduled(Guid.Parse(session.CourseId), Guid.Parse(session.ReferralId),
                    move.AppointmentId, move.SessionNumber, move.OldLocalStart, move.OldStartUtc, move.NewLocalStart, move.NewStartUtc,
                    sequence, now.ToDateTimeOffset()) { By = http.Actor(ApiKeyAuthentication.Coordinator) }, now);
                return (session.CourseId, null);
            });
            if (courseId is null) return Problems.NotFound("No such session");
            waitlist.CapacityChanged();
            return TypedResults.Ok((await CourseView.LoadAsync(database, courseId))!);
        }
        catch (RefusedException refused)
        {
            return Refuse(refused.Refusal);
        }
        catch (Exception exception) when (database.Dialect.IsUniqueViolation(exception))
        {
            return Problems.Conflict("That time was taken a moment ago", "Nothing was changed; choose another time.");
        }
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> CancelAsync(
        string id, CancelSessionRequest request, SchedulingDatabase database, IClock clock, WaitlistSignal waitlist, HttpContext http)
    {
        if (request.By is not ("patient" or "clinic")) return Problems.BadRequest("by", "Who cancelled: 'patient' or 'clinic'.");
        var result = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var session = await SessionRow.LoadAsync(connection, transaction, id);
            if (session is null) return ((string?)null, (ProblemHttpResult?)null);
            await CourseRow.LockAsync(connection, transaction, session.CourseId);
            var changed = await connection.ExecuteAsync(
                "update appointments set status = 'cancelled', cancelled_by = @by where id = @id and status = 'booked'",
                new { id = session.Id, by = request.By }, transaction);
            if (changed == 0) return (session.CourseId, Problems.Conflict($"Session {session.Number} is {session.Status}"));
            await http.AuditCourseAsync(connection, transaction, database, session.CourseId, "session.cancelled",
                new FieldChange($"session {session.Number} status", "booked", $"cancelled by {request.By}"));
            var now = clock.GetCurrentInstant();
            var sequence = await CourseRow.NextSequenceAsync(connection, transaction, session.CourseId);
            await Outbox.AddAsync(connection, transaction, new AppointmentCancelled(Guid.Parse(session.CourseId), Guid.Parse(session.ReferralId),
                Guid.Parse(session.Id), (int)session.Number, session.Local.ToDateTimeUnspecified(), session.Start.ToDateTimeOffset(),
                request.By, sequence, now.ToDateTimeOffset()) { By = http.Actor(ApiKeyAuthentication.Coordinator) }, now);
            return (session.CourseId, null);
        });
        if (result.Item1 is null) return Problems.NotFound("No such session");
        if (result.Item2 is not null) return result.Item2;
        waitlist.CapacityChanged();
        return TypedResults.Ok((await CourseView.LoadAsync(database, result.Item1))!);
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> AttendanceAsync(
        string id, AttendanceRequest request, SchedulingDatabase database, IClock clock, HttpContext http)
    {
        if (request.Outcome is not ("attended" or "dna" or "late-cancel"))
            return Problems.BadRequest("outcome", "One of 'attended', 'dna', 'late-cancel'.");
        await using var connection = await database.OpenAsync();
        var session = await SessionRow.LoadAsync(connection, null, id);
        if (session is null || !await Therapists.OwnPatients.MaySeeAppointmentAsync(connection, http, id)) return Problems.NotFound("No such session");
        if (session.Status != "booked") return Problems.Conflict($"Session {session.Number} is {session.Status}");
        if (session.Start > clock.GetCurrentInstant()) return Problems.BadRequest("outcome", "Attendance is recorded once the session has started.");
        await database.InTransactionAsync(async (c, transaction) =>
        {
            await c.ExecuteAsync("update appointments set attendance = @outcome where id = @id", new { id, outcome = request.Outcome }, transaction);
            await http.AuditCourseAsync(c, transaction, database, session.CourseId, "session.attendance",
                new FieldChange($"session {session.Number} attendance", session.Attendance, request.Outcome));
            // Two DNAs in a course flag it for the coordinator's review (design §4).
            await c.ExecuteAsync(
                """
                update courses set flagged_for_review = 1
                where id = @courseId and (select count(*) from appointments where course_id = @courseId and attendance = 'dna') >= 2
                """, new { courseId = session.CourseId }, transaction);
            return true;
        });
        return TypedResults.Ok((await CourseView.LoadAsync(database, session.CourseId))!);
    }

    private static LocalDate WeekOf(LocalDate date) => date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));

    public static ProblemHttpResult Refuse(MoveRefusal refusal) =>
        refusal.Conflict
            ? Problems.Conflict("That time is not free", refusal.Message + " Nothing was changed.")
            : Problems.BadRequest(refusal.Field, refusal.Message);
}
