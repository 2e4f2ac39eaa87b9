using System.Text.Json;
using Dit.Referrals.Intake;

namespace Dit.Referrals.Status;

/// <summary>
/// A coordinator's decision on a referral that reported risk: accepted, it goes for booking like any
/// other (<see cref="ReferralAccepted"/>); closed, it is cancelled with the coordinator's reason.
/// </summary>
public sealed class ApplyReview(ReferralsDatabase database, IClock clock) : IConsumer<ReferralReviewed>
{
    public Task Consume(ConsumeContext<ReferralReviewed> context) =>
        database.ConsumeOnceAsync(context, nameof(ApplyReview), clock, async (connection, transaction) =>
        {
            var review = context.Message;
            var row = await connection.QuerySingleOrDefaultAsync<(string Status, string ReferrerId, string Json)>(
                "select status, referrer_id, request_json from referrals where id = @id", new { id = review.ReferralId.ToString() }, transaction);
            if (row.Status != ReferralStatus.NeedsReview) return;
            var now = clock.GetCurrentInstant();
            if (review.Decision == ReferralReviewed.Accept)
            {
                await ReferralHistory.ChangeStatusAsync(connection, transaction, review.ReferralId, ReferralStatus.Received,
                    "Reviewed by a coordinator and accepted for booking", null, now);
                var referral = JsonSerializer.Deserialize<ValidReferral>(row.Json, MessageJson.Options)!;
                await ReferralIntake.AddAcceptedAsync(connection, transaction, review.ReferralId, row.ReferrerId, referral, now);
            }
            else
            {
                await ReferralHistory.ChangeStatusAsync(connection, transaction, review.ReferralId, ReferralStatus.Cancelled,
                    $"Closed after review: {review.Reason}", null, now);
            }
        });
}
