namespace Dit.Referrals.Status;

/// <summary>Shows the new therapist, and any new session times, when a course is reassigned.</summary>
public sealed class RecordCourseReassigned(ReferralsDatabase database, IClock clock) : IConsumer<CourseReassigned>
{
    public Task Consume(ConsumeContext<CourseReassigned> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseReassigned), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, context.Message.ReferralId, context.Message, clock.GetCurrentInstant()));
}
