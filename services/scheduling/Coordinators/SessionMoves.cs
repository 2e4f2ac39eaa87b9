using Dit.Scheduling.Therapists;
using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Moves sessions of one course to new local times (the course's zone), all or none: every new time
/// must start on the hour, lie ahead, inside 07:00–23:00 UK time and — unless the coordinator
/// overrides it — inside the patient's windows, and be free in the therapist's diary.
/// </summary>
public sealed class SessionMoves(CourseSearch search, BookingRules rules, IClock clock)
{
    public async Task<(IReadOnlyList<SessionMove>? Moves, MoveRefusal? Refusal)> MoveAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<(SessionRow Session, LocalDateTime NewLocal)> plan, bool overrideWindows)
    {
        var now = clock.GetCurrentInstant();
        var first = plan[0].Session;
        var zone = first.Zone;
        var windows = first.Windows;
        var targets = new List<(SessionRow Session, LocalDateTime Local, Instant Start)>();
        foreach (var (session, local) in plan)
        {
            if (session.Status != "booked") return (null, new MoveRefusal(true, "session", $"Session {session.Number} is {session.Status}."));
            if (session.Start <= now) return (null, new MoveRefusal(false, "session", $"Session {session.Number} has already started."));
            var mapping = zone.MapLocal(local);
            if (mapping.Count != 1) return (null, new MoveRefusal(false, "start", $"{local} does not exist once in {zone.Id} (clock change)."));
            var start = mapping.Single().ToInstant();
            if (start <= now) return (null, new MoveRefusal(false, "start", "The new time has passed."));
            if (!search.InsideServiceDay(start)) return (null, new MoveRefusal(false, "start", "Sessions run between 07:00 and 23:00 UK time."));
            if (!search.OnGrid(start)) return (null, new MoveRefusal(false, "start", "Sessions start on the hour, UK time."));
            if (!overrideWindows && windows.Count > 0 && !search.InsideWindows(windows, local))
                return (null, new MoveRefusal(false, "start",
                    $"{local:uuuu-MM-dd HH:mm} is outside the patient's availability; set overrideWindows to book it anyway."));
            targets.Add((session, local, start));
        }

        // The therapist's diary without the sessions being moved; one change per therapist at a time.
        await TherapistLock.TakeAsync(connection, transaction, first.TherapistId);
        var from = targets.Min(t => t.Start) - Duration.FromDays(7);
        var to = targets.Max(t => t.Start) + Duration.FromDays(7);
        var diary = (await Diaries.LoadAsync(connection, transaction, from, to, first.TherapistId)).Single();
        var moving = targets.Select(t => t.Session.Start).ToHashSet();
        diary = diary with { BookedStarts = diary.BookedStarts.Where(s => !moving.Contains(s)).ToList() };
        var closed = await ClosedDays.LoadAsync(connection, transaction);
        foreach (var target in targets)
        {
            var clash = search.ClashAt(diary, target.Start, closed);
            if (clash is not null)
                return (null, new MoveRefusal(true, "start", $"Session {target.Session.Number} at {target.Local:uuuu-MM-dd HH:mm}: {clash}"));
        }

        // Out of the unique index first, so a session may take a time another moving session leaves.
        foreach (var target in targets)
            await connection.ExecuteAsync("update appointments set status = 'moving' where id = @id", new { id = target.Session.Id }, transaction);
        var moves = new List<SessionMove>();
        foreach (var target in targets)
        {
            await connection.ExecuteAsync(
                "update appointments set start_utc = @start, end_utc = @end, local_start = @local, status = 'booked' where id = @id",
                new
                {
                    id = target.Session.Id, start = target.Start.ToUnixTimeMilliseconds(),
                    end = (target.Start + rules.SessionLength).ToUnixTimeMilliseconds(), local = SessionRow.LocalPattern.Format(target.Local),
                }, transaction);
            moves.Add(new SessionMove(Guid.Parse(target.Session.Id), (int)target.Session.Number,
                target.Session.Local.ToDateTimeUnspecified(), target.Session.Start.ToDateTimeOffset(),
                target.Local.ToDateTimeUnspecified(), target.Start.ToDateTimeOffset()));
        }
        return (moves, null);
    }
}
