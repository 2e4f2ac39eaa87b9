using Dit.Contracts;
using Dit.Platform.Messaging;
using MassTransit;
using NodaTime;

namespace Dit.Scheduling.Booking;

/// <summary>A withdrawn referral frees its therapist's time: the course is cancelled, or the waitlist entry dropped.</summary>
public sealed class CancelCourseOnWithdrawal(SchedulingDatabase database, Waitlist.WaitlistSignal waitlist, IClock clock, ILogger<CancelCourseOnWithdrawal> logger)
    : IConsumer<ReferralWithdrawn>
{
    public async Task Consume(ConsumeContext<ReferralWithdrawn> context)
    {
        CourseCancelled? cancelled = null;
        await database.ConsumeOnceAsync(context, nameof(CancelCourseOnWithdrawal), clock, async (connection, transaction) =>
            cancelled = await CourseCancellation.CancelForReferralAsync(connection, transaction, context.Message.ReferralId,
                "The referral was withdrawn", clock.GetCurrentInstant()));
        if (cancelled is null) return;
        logger.LogInformation("Course {CourseId} cancelled: referral {ReferralId} withdrawn", cancelled.CourseId, cancelled.ReferralId);
        waitlist.CapacityChanged();
    }
}
