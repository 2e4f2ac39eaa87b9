using Dit.Scheduling.Therapists;
using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Gives a session and every later booked one of a course to another therapist, all or none: each keeps its time where
/// the new therapist is free then, otherwise goes to the nearest free time that week inside the patient's windows,
/// after the session before it. Without a therapist named, the one who keeps the most sessions at their time wins,
/// then the lighter load. Announced once, as <see cref="CourseReassigned"/>.
/// </summary>
public sealed class CourseReassignment(CourseSearch search, BookingRules rules, IClock clock)
{
    public async Task<(CourseReassigned? Reassigned, MoveRefusal? Refusal)> ReassignAsync(DbConnection connection, DbTransaction transaction,
        string courseId, int fromSession, Guid? therapistId, Actor by)
    {
        var now = clock.GetCurrentInstant();
        var sessions = await SessionRow.ForCourseAsync(connection, transaction, courseId);
        var moving = sessions.Where(s => s.Number >= fromSession && s.Status == "booked").ToList();
        if (moving.Count == 0 || moving[0].Number != fromSession)
            return (null, new MoveRefusal(false, "fromSession", $"Session {fromSession} is not a booked session of this course."));
        if (moving[0].Start <= now) return (null, new MoveRefusal(false, "fromSession", $"Session {fromSession} has already started."));
        var current = moving[0].TherapistId;
        if (therapistId?.ToString() == current) return (null, new MoveRefusal(false, "therapistId", "That is the course's therapist already."));

        var from = moving[0].Start - Duration.FromDays(7);
        var to = moving[^1].Start + Duration.FromDays(14);
        var diaries = (await Diaries.LoadAsync(connection, transaction, from, to, therapistId?.ToString()))
            .Where(d => d.Id.ToString() != current).ToList();
        if (therapistId is not null && diaries.Count == 0) return (null, new MoveRefusal(false, "therapistId", "No such therapist."));
        var closed = await ClosedDays.LoadAsync(connection, transaction);
        var previous = sessions.Where(s => s.Number < fromSession && s.Status == "booked").Select(s => (Instant?)s.Start).LastOrDefault();

        var best = Best(diaries, moving, previous, closed);
        if (best.Plan is null)
            return (null, new MoveRefusal(true, "therapistId", therapistId is null
                ? "No other therapist can take these sessions in their weeks."
                : "That therapist cannot take these sessions in their weeks."));

        // One change per therapist at a time, as for bookings; the unique index still refuses a time taken meanwhile.
        await TherapistLock.TakeAsync(connection, transaction, best.Diary.Id.ToString());
        foreach (var (session, local, start) in best.Plan)
            await SessionRow.GiveAsync(connection, transaction, session.Id, best.Diary.Id.ToString(), start, local, rules.SessionLength);
        await connection.ExecuteAsync("update courses set therapist_id = @therapist where id = @courseId",
            new { courseId, therapist = best.Diary.Id.ToString() }, transaction);
        var sequence = await CourseRow.NextSequenceAsync(connection, transaction, courseId);
        var reassigned = new CourseReassigned(Guid.Parse(courseId), Guid.Parse(moving[0].ReferralId), fromSession, best.Diary.Id, best.Diary.Name,
            best.Plan.Select(p => new SessionMove(Guid.Parse(p.Session.Id), (int)p.Session.Number, p.Session.Local.ToDateTimeUnspecified(),
                p.Session.Start.ToDateTimeOffset(), p.Local.ToDateTimeUnspecified(), p.Start.ToDateTimeOffset())).ToList(),
            sequence, now.ToDateTimeOffset()) { By = by };
        await Outbox.AddAsync(connection, transaction, reassigned, now);
        return (reassigned, null);
    }

    /// <summary>
    /// The therapist who keeps the most of <paramref name="moving"/> at their times (then the lighter load), with where
    /// each session goes; no plan when nobody can take them all.
    /// </summary>
    public (TherapistDiary Diary, List<(SessionRow Session, LocalDateTime Local, Instant Start)>? Plan) Best(IEnumerable<TherapistDiary> diaries,
        IReadOnlyList<SessionRow> moving, Instant? previous, ClosedDays closed) =>
        diaries.OrderBy(d => d.BookedStarts.Count).ThenBy(d => d.Id)
            .Select(d => (Diary: d, Plan: Plan(d, moving, previous, closed)))
            .Where(p => p.Plan is not null)
            .OrderByDescending(p => p.Plan!.Count(x => x.Start == x.Session.Start))
            .FirstOrDefault();

    /// <summary>Where each session would go in <paramref name="diary"/>, or null when one of them has no free time in its week.</summary>
    private List<(SessionRow Session, LocalDateTime Local, Instant Start)>? Plan(TherapistDiary diary, IReadOnlyList<SessionRow> moving,
        Instant? previous, ClosedDays closed)
    {
        var plan = new List<(SessionRow, LocalDateTime, Instant)>();
        var booked = diary.BookedStarts.ToList();
        foreach (var session in moving)
        {
            var taking = diary with { BookedStarts = booked };
            var regular = new PlannedSession((int)session.Number, session.Local, session.Start);
            var place = search.Fits(taking, session.Start, closed) && (previous is null || session.Start > previous)
                ? regular
                : search.NearestFreeInWeek(taking, regular, session.Zone, session.Windows.Count == 0 ? null : session.Windows, closed, previous,
                    clock.GetCurrentInstant() + Duration.Epsilon);
            if (place is null) return null;
            plan.Add((session, place.LocalStart, place.Start));
            previous = place.Start;
            var at = booked.BinarySearch(place.Start);
            booked.Insert(at < 0 ? ~at : at, place.Start);
        }
        return plan;
    }
}
