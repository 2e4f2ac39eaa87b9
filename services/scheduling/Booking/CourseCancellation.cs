using Dit.Scheduling.Coordinators;

namespace Dit.Scheduling.Booking;

/// <summary>Cancels a referral's course (its sessions still to come; held ones stay as they are) or takes it off the waitlist.</summary>
public static class CourseCancellation
{
    /// <returns>The cancelled course's event, or null when the referral had no active course.</returns>
    public static async Task<CourseCancelled?> CancelForReferralAsync(DbConnection connection, DbTransaction transaction,
        Guid referralId, string reason, Actor by, Instant now)
    {
        await connection.ExecuteAsync("delete from waitlist where referral_id = @id", new { id = referralId.ToString() }, transaction);
        var courseId = await connection.QuerySingleOrDefaultAsync<string>(
            "select id from courses where referral_id = @id and status = 'booked'", new { id = referralId.ToString() }, transaction);
        return courseId is null ? null : await CancelCourseAsync(connection, transaction, Guid.Parse(courseId), reason, "clinic", by, now);
    }

    /// <summary>
    /// Ends an active course: its sessions still to come are cancelled. <paramref name="endStatus"/> is "cancelled", or
    /// "ended" when the clinic ends the therapy early; either way a course with sessions scored gets its outcome.
    /// </summary>
    /// <returns>The cancelled course's event, or null when the course is not active.</returns>
    public static async Task<CourseCancelled?> CancelCourseAsync(DbConnection connection, DbTransaction transaction,
        Guid courseId, string reason, string cancelledBy, Actor by, Instant now, string endStatus = "cancelled")
    {
        var referralId = await connection.QuerySingleOrDefaultAsync<string>(
            "select referral_id from courses where id = @id and status = 'booked'", new { id = courseId.ToString() }, transaction);
        if (referralId is null) return null;

        var changed = await connection.ExecuteAsync("update courses set status = @endStatus, ended_reason = @reason where id = @id and status = 'booked'",
            new { id = courseId.ToString(), endStatus, reason }, transaction);
        if (changed == 0) return null;
        var sequence = await CourseRow.NextSequenceAsync(connection, transaction, courseId.ToString());
        // Sessions already started are history (held, or awaiting their attendance): only those still to come are cancelled.
        var future = (await connection.QueryAsync<long>(
            "select session_number from appointments where course_id = @id and status = 'booked' and start_utc > @now order by session_number",
            new { id = courseId.ToString(), now = now.ToUnixTimeMilliseconds() }, transaction)).Select(n => (int)n).ToList();
        await connection.ExecuteAsync(
            "update appointments set status = 'cancelled', cancelled_by = @cancelledBy where course_id = @id and status = 'booked' and start_utc > @now",
            new { id = courseId.ToString(), cancelledBy, now = now.ToUnixTimeMilliseconds() }, transaction);
        var cancelled = new CourseCancelled(courseId, Guid.Parse(referralId), reason, sequence, now.ToDateTimeOffset())
        {
            CancelledSessions = future,
            By = by,
        };
        await Outbox.AddAsync(connection, transaction, cancelled, now);
        if (endStatus == "ended" || await connection.ExecuteScalarAsync<long>(
                "select count(*) from session_scores where course_id = @id", new { id = courseId.ToString() }, transaction) > 0)
            await Progress.SessionScores.PublishOutcomeAsync(connection, transaction, courseId.ToString(), now);
        return cancelled;
    }
}
