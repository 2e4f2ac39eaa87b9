using System.Text.Json;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Therapists;

namespace Dit.Scheduling.Waitlist;

/// <summary>
/// Brings a late course forward (<see cref="LateCourse"/>) to the soonest course the booking search finds within
/// <see cref="NearestWindows.WithinWeeks"/> weeks once a window the patient agreed to is added — with its own therapist
/// where they are free then, another otherwise. The same course moves as a whole, all or none: each booked session, in
/// order, to the new course's sessions; the patient's series is updated, not cancelled and sent again. Announced once,
/// as <see cref="CourseReassigned"/> with <see cref="CourseReassigned.BroughtForward"/>.
/// </summary>
public sealed class CourseBringForward(NearestWindows nearest, CourseBooker booker, BookingRules rules, IClock clock)
{
    /// <summary>The moved course, or why it stays as booked.</summary>
    public async Task<(CourseReassigned? Moved, string? Refusal)> BringForwardAsync(DbConnection connection, DbTransaction transaction, LateCourse late,
        AvailabilityWindow window, Actor by)
    {
        var now = clock.GetCurrentInstant();
        var widened = late with { Windows = [.. late.Windows, window] };
        var request = widened.RequestFor(await ClosedDays.LoadAsync(connection, transaction), now, rules);
        var from = CourseSearch.NotBefore(request);
        var slot = nearest.Sooner(request, late.Without(await Diaries.LoadAsync(connection, transaction, from, from + rules.DiaryReach(NearestWindows.WithinWeeks))),
            late.FirstStart);
        if (slot is null)
            return (null, $"No course would start sooner than {late.FirstLocalStart.Replace('T', ' ')} with that time added; the course stays as booked.");
        var booked = late.Booked;
        if (booked.Count > slot.Course.Sessions.Count)
            return (null, "The course has more sessions than a new course holds (it was extended); move its sessions one by one.");

        await TherapistLock.TakeAsync(connection, transaction, slot.Therapist.Id.ToString());
        // Out of the way first: with its own therapist, a new time may be one of the course's old ones.
        await connection.ExecuteAsync("update appointments set status = 'moving' where course_id = @courseId and status = 'booked'",
            new { courseId = late.CourseId }, transaction);
        var moves = new List<SessionMove>();
        foreach (var (session, planned) in booked.Zip(slot.Course.Sessions))
        {
            await SessionRow.GiveAsync(connection, transaction, session.Id, slot.Therapist.Id.ToString(), planned.Start, planned.LocalStart, rules.SessionLength,
                fromStatus: "moving");
            moves.Add(new SessionMove(Guid.Parse(session.Id), (int)session.Number, session.Local.ToDateTimeUnspecified(), session.Start.ToDateTimeOffset(),
                planned.LocalStart.ToDateTimeUnspecified(), planned.Start.ToDateTimeOffset()));
        }
        await connection.ExecuteAsync(
            """
            update courses set therapist_id = @therapist, weekday = @weekday, local_time = @time, availability_json = @availability, skipped_weeks = @skipped
            where id = @courseId
            """,
            new
            {
                courseId = late.CourseId, therapist = slot.Therapist.Id.ToString(), weekday = (int)slot.Course.Day,
                time = slot.Course.Time.ToString("HH:mm", null), availability = JsonSerializer.Serialize(widened.Windows, MessageJson.Options),
                skipped = CourseBooker.SkippedWeeksText(slot.Course.SkippedWeeks),
            }, transaction);
        await booker.VerifyWeeklyCapAsync(connection, transaction, slot);

        var sequence = await CourseRow.NextSequenceAsync(connection, transaction, late.CourseId);
        var moved = new CourseReassigned(Guid.Parse(late.CourseId), Guid.Parse(late.ReferralId), (int)booked[0].Number, slot.Therapist.Id,
            slot.Therapist.Name, moves, sequence, now.ToDateTimeOffset()) { By = by, BroughtForward = true };
        await Outbox.AddAsync(connection, transaction, moved, now);
        return (moved, null);
    }
}
