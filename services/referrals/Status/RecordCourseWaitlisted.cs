namespace Dit.Referrals.Status;

/// <summary>Shows that no therapist could take the referral yet.</summary>
public sealed class RecordCourseWaitlisted(ReferralsDatabase database, IClock clock) : IConsumer<CourseWaitlisted>
{
    public Task Consume(ConsumeContext<CourseWaitlisted> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseWaitlisted), clock, (connection, transaction) =>
            ReferralHistory.ChangeStatusAsync(connection, transaction, context.Message.ReferralId, ReferralStatus.Waitlisted,
                context.Message.Reason, null, clock.GetCurrentInstant()));
}
