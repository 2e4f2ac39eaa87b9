namespace Dit.Referrals.Status;

/// <summary>Keeps the referral's course in step when a coordinator moves a session.</summary>
public sealed class RecordAppointmentRescheduled(ReferralsDatabase database, IClock clock) : IConsumer<AppointmentRescheduled>
{
    public Task Consume(ConsumeContext<AppointmentRescheduled> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordAppointmentRescheduled), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, context.Message.ReferralId, context.Message, clock.GetCurrentInstant()));
}
