namespace Dit.Scheduling.Booking;

/// <summary>
/// A withdrawn referral frees its therapist's time: its future sessions are cancelled, or its waitlist entry or review
/// dropped — and the withdrawal is remembered, so that a booking or review that arrives after it never happens.
/// </summary>
public sealed class CancelCourseOnWithdrawal(SchedulingDatabase database, Waitlist.WaitlistSignal waitlist, IClock clock, ILogger<CancelCourseOnWithdrawal> logger)
    : IConsumer<ReferralWithdrawn>
{
    public async Task Consume(ConsumeContext<ReferralWithdrawn> context)
    {
        CourseCancelled? cancelled = null;
        await database.ConsumeOnceAsync(context, nameof(CancelCourseOnWithdrawal), clock, async (connection, transaction) =>
        {
            var referralId = context.Message.ReferralId;
            var now = clock.GetCurrentInstant();
            await database.Dialect.LockAsync(connection, transaction, referralId);
            await Withdrawals.RememberAsync(connection, transaction, referralId, now);
            await connection.ExecuteAsync(
                """
                update reviews set decision = 'withdrawn', reason = 'Withdrawn by the referrer', decided_by = 'referrer', decided_at = @now
                where referral_id = @id and decision is null
                """, new { id = referralId.ToString(), now = now.ToUnixTimeMilliseconds() }, transaction);
            cancelled = await CourseCancellation.CancelForReferralAsync(connection, transaction, referralId, "The referral was withdrawn",
                new Actor(ApiKeyAuthentication.Referrer, context.Message.ReferrerId), now);
        });
        if (cancelled is null) return;
        logger.LogInformation("Course {CourseId} cancelled: referral {ReferralId} withdrawn", cancelled.CourseId, cancelled.ReferralId);
        waitlist.CapacityChanged();
    }
}
