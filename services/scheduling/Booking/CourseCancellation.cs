using System.Data.Common;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;

namespace Dit.Scheduling.Booking;

/// <summary>Cancels a referral's course (all its remaining sessions) or takes it off the waitlist.</summary>
public static class CourseCancellation
{
    /// <returns>The cancelled course's event, or null when the referral had no active course.</returns>
    public static async Task<CourseCancelled?> CancelForReferralAsync(DbConnection connection, DbTransaction transaction,
        Guid referralId, string reason, Instant now)
    {
        await connection.ExecuteAsync("delete from waitlist where referral_id = @id", new { id = referralId.ToString() }, transaction);
        var course = await connection.QuerySingleOrDefaultAsync<(string Id, long Sequence)>(
            "select id, sequence from courses where referral_id = @id and status = 'booked'", new { id = referralId.ToString() }, transaction);
        if (course.Id is null) return null;

        var sequence = course.Sequence + 1;
        await connection.ExecuteAsync("update courses set status = 'cancelled', sequence = @sequence where id = @id",
            new { id = course.Id, sequence }, transaction);
        await connection.ExecuteAsync("update appointments set status = 'cancelled' where course_id = @id and status = 'booked'",
            new { id = course.Id }, transaction);
        var cancelled = new CourseCancelled(Guid.Parse(course.Id), referralId, reason, (int)sequence, now.ToDateTimeOffset());
        await Outbox.AddAsync(connection, transaction, cancelled, now);
        return cancelled;
    }
}
