namespace Dit.Scheduling.Mail;

/// <summary>Keeps each message notifications could not deliver (mail or text), for the coordinators' list.</summary>
public sealed class RecordUndeliverableMail(SchedulingDatabase database, IClock clock) : IConsumer<MailUndeliverable>
{
    public Task Consume(ConsumeContext<MailUndeliverable> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordUndeliverableMail), clock, (connection, transaction) =>
            InsertAsync(connection, transaction, context.Message));

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, MailUndeliverable message) =>
        connection.ExecuteAsync(
            """
            insert into undeliverable_mail (referral_id, kind, reason, rejections, at, channel) values (@referralId, @Kind, @Reason, @Rejections, @at, @Channel)
            on conflict do nothing
            """,
            new
            {
                referralId = message.ReferralId.ToString(), message.Kind, message.Reason, message.Rejections, message.Channel,
                at = Instant.FromDateTimeOffset(message.OccurredAt).ToUnixTimeMilliseconds(),
            }, transaction);
}
