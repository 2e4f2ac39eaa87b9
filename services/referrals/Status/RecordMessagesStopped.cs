namespace Dit.Referrals.Status;

/// <summary>The patient stopped a channel's messages: their consent to it is withdrawn, on the referral's history.</summary>
public sealed class RecordMessagesStopped(ReferralsDatabase database, IClock clock) : IConsumer<MessagesStopped>
{
    public Task Consume(ConsumeContext<MessagesStopped> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordMessagesStopped), clock, async (connection, transaction) =>
        {
            var stopped = context.Message;
            var column = stopped.Channel == "sms" ? "sms_stopped_at" : "email_stopped_at";
            var at = Instant.FromDateTimeOffset(stopped.OccurredAt);
            if (await connection.ExecuteAsync($"update referrals set {column} = @at where id = @id and {column} is null",
                    new { id = stopped.ReferralId.ToString(), at = at.ToUnixTimeMilliseconds() }, transaction) == 0)
                return;
            var status = await connection.QuerySingleAsync<string>("select status from referrals where id = @id", new { id = stopped.ReferralId.ToString() }, transaction);
            await ReferralHistory.AddAsync(connection, transaction, stopped.ReferralId, status,
                $"The patient stopped {(stopped.Channel == "sms" ? "text messages" : "emails")}: consent withdrawn", at);
        });
}
