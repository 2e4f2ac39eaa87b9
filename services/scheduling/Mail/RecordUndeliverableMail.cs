namespace Dit.Scheduling.Mail;

/// <summary>Keeps each mail notifications gave up on, for the coordinators' list.</summary>
public sealed class RecordUndeliverableMail(SchedulingDatabase database, IClock clock) : IConsumer<MailUndeliverable>
{
    public Task Consume(ConsumeContext<MailUndeliverable> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordUndeliverableMail), clock, (connection, transaction) =>
            connection.ExecuteAsync(
                """
                insert into undeliverable_mail (referral_id, kind, reason, rejections, at) values (@referralId, @Kind, @Reason, @Rejections, @at)
                on conflict do nothing
                """,
                new
                {
                    referralId = context.Message.ReferralId.ToString(), context.Message.Kind, context.Message.Reason, context.Message.Rejections,
                    at = Instant.FromDateTimeOffset(context.Message.OccurredAt).ToUnixTimeMilliseconds(),
                }, transaction));
}
