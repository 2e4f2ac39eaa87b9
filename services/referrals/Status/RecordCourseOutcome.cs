using System.Text.Json;

namespace Dit.Referrals.Status;

/// <summary>
/// Keeps the outcome of the referral's course for the referrer (the newest, should scores recorded late change it); a
/// course that ran to its end completes the referral.
/// </summary>
public sealed class RecordCourseOutcome(ReferralsDatabase database, IClock clock) : IConsumer<CourseOutcomeRecorded>
{
    public Task Consume(ConsumeContext<CourseOutcomeRecorded> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseOutcome), clock, async (connection, transaction) =>
        {
            var outcome = context.Message;
            var at = Instant.FromDateTimeOffset(outcome.OccurredAt).ToUnixTimeMilliseconds();
            var changed = await connection.ExecuteAsync(
                "update referrals set outcome_json = @json, outcome_at = @at where id = @id and (outcome_at is null or outcome_at < @at)",
                new { id = outcome.ReferralId.ToString(), at, json = JsonSerializer.Serialize(OutcomeView.From(outcome), MessageJson.Options) }, transaction);
            if (changed == 1 && outcome.Ending == "completed")
                await ReferralHistory.ChangeStatusAsync(connection, transaction, outcome.ReferralId, ReferralStatus.Completed,
                    $"Course completed: {outcome.Summary}", null, clock.GetCurrentInstant());
        });
}
