namespace Dit.Referrals.Status;

/// <summary>Shows the sessions an extension added to the referral's course.</summary>
public sealed class RecordCourseExtended(ReferralsDatabase database, IClock clock) : IConsumer<CourseExtended>
{
    public Task Consume(ConsumeContext<CourseExtended> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseExtended), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, context.Message.ReferralId, context.Message, clock.GetCurrentInstant()));
}
