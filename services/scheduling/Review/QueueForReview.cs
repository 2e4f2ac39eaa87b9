using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Review;

/// <summary>Puts a referral that reported current risk in front of the coordinators (unless withdrawn meanwhile); it is never booked before.</summary>
public sealed class QueueForReview(SchedulingDatabase database, IClock clock) : IConsumer<ReferralNeedsReview>
{
    public Task Consume(ConsumeContext<ReferralNeedsReview> context) =>
        database.ConsumeOnceAsync(context, nameof(QueueForReview), clock, async (connection, transaction) =>
        {
            var referral = context.Message;
            // A referral withdrawn before it reached the review list never joins it.
            await database.Dialect.LockAsync(connection, transaction, referral.ReferralId);
            if (await Withdrawals.IsWithdrawnAsync(connection, transaction, referral.ReferralId)) return;
            await connection.ExecuteAsync(
                """
                insert into reviews (referral_id, referrer_id, referrer_reference, risk_notes, presenting_problem, earliest_start, received_at)
                values (@referralId, @referrerId, @reference, @notes, @problem, @earliest, @receivedAt)
                on conflict do nothing
                """,
                new
                {
                    referralId = referral.ReferralId.ToString(), referrerId = referral.ReferrerId, reference = referral.ReferrerReference,
                    notes = referral.RiskNotes, problem = referral.PresentingProblem, earliest = referral.EarliestStart.ToString("yyyy-MM-dd"),
                    receivedAt = Instant.FromDateTimeOffset(referral.OccurredAt).ToUnixTimeMilliseconds(),
                }, transaction);
        });
}
