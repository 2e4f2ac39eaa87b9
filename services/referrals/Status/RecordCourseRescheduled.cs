namespace Dit.Referrals.Status;

/// <summary>Keeps the referral's course in step when a session and all later ones move to a new weekly slot.</summary>
public sealed class RecordCourseRescheduled(ReferralsDatabase database, IClock clock) : IConsumer<CourseRescheduled>
{
    public Task Consume(ConsumeContext<CourseRescheduled> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseRescheduled), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, context.Message.ReferralId, context.Message, clock.GetCurrentInstant()));
}
