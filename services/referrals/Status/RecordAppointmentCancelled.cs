namespace Dit.Referrals.Status;

/// <summary>Marks a cancelled session on the referral's course.</summary>
public sealed class RecordAppointmentCancelled(ReferralsDatabase database, IClock clock) : IConsumer<AppointmentCancelled>
{
    public Task Consume(ConsumeContext<AppointmentCancelled> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordAppointmentCancelled), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, context.Message.ReferralId, context.Message, clock.GetCurrentInstant()));
}
