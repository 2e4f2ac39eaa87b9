namespace Dit.Referrals.Status;

/// <summary>
/// Scheduling could not book the referral and put it in front of a coordinator: the referrer sees <c>needs-review</c>
/// rather than <c>received</c> for good. The reason itself stays with the coordinators (it may be a fault of ours).
/// </summary>
public sealed class RecordNeedsAttention(ReferralsDatabase database, IClock clock) : IConsumer<ReferralNeedsAttention>
{
    public Task Consume(ConsumeContext<ReferralNeedsAttention> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordNeedsAttention), clock, (connection, transaction) =>
            ReferralHistory.ChangeStatusAsync(connection, transaction, context.Message.ReferralId, ReferralStatus.NeedsReview,
                "Could not be booked automatically: a coordinator is looking at it", null, clock.GetCurrentInstant()));
}
