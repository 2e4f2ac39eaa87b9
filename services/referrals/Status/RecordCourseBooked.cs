namespace Dit.Referrals.Status;

/// <summary>Shows the booked course on the referral.</summary>
public sealed class RecordCourseBooked(ReferralsDatabase database, IClock clock) : IConsumer<CourseBooked>
{
    public Task Consume(ConsumeContext<CourseBooked> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordCourseBooked), clock, async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            if (!await ReferralHistory.ChangeStatusAsync(connection, transaction, context.Message.ReferralId, ReferralStatus.Booked,
                    $"{context.Message.TherapistName}, {context.Message.Weekday}s {context.Message.LocalTime:HH:mm}",
                    BookingView.From(context.Message), now))
                await ReferralHistory.ShowBookingAsync(connection, transaction, context.Message);
            // Changes that overtook the booking on their own queues.
            await ReferralHistory.ApplyParkedChangesAsync(connection, transaction, context.Message.ReferralId, now);
        });
}
