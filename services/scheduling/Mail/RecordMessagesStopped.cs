namespace Dit.Scheduling.Mail;

/// <summary>The patient stopped a channel's messages: on the coordinators' list, as they must now reach them another way for it.</summary>
public sealed class RecordMessagesStopped(SchedulingDatabase database, IClock clock) : IConsumer<MessagesStopped>
{
    public Task Consume(ConsumeContext<MessagesStopped> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordMessagesStopped), clock, (connection, transaction) =>
            RecordUndeliverableMail.InsertAsync(connection, transaction, new MailUndeliverable(context.Message.ReferralId, "stopped",
                $"The patient stopped {(context.Message.Channel == "sms" ? "text messages" : "emails")}", 0, context.Message.OccurredAt, context.Message.Channel)));
}
