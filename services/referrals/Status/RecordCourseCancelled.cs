namespace Dit.Referrals.Status;

/// <summary>A cancelled course cancels the referral (a withdrawn one stays as it is) and its sessions still to come.</summary>
public sealed class RecordCourseCancelled(ReferralsDatabase database, IClock clock) : IConsumer<CourseCancelled>
{
    public Task Consume(ConsumeContext<CourseCancelled> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseCancelled), clock, async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            var status = await connection.QuerySingleOrDefaultAsync<string>(
                "select status from referrals where id = @id", new { id = context.Message.ReferralId.ToString() }, transaction);
            if (status is null) return;
            // The sessions first: before its booking has arrived, the cancellation waits for it (while the referral is
            // not yet cancelled).
            await ReferralHistory.ChangeBookingAsync(connection, transaction, context.Message.ReferralId, context.Message, now);
            if (status != ReferralStatus.Cancelled)
                await ReferralHistory.ChangeStatusAsync(connection, transaction, context.Message.ReferralId, ReferralStatus.Cancelled,
                    $"Course cancelled: {context.Message.Reason}", null, now);
        });
}
