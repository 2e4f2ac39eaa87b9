using Dit.Contracts;
using Dit.Platform.Messaging;
using MassTransit;
using NodaTime;

namespace Dit.Referrals.Status;

/// <summary>Keeps the referral's course in step when a coordinator moves a session.</summary>
public sealed class RecordAppointmentRescheduled(ReferralsDatabase database, IClock clock) : IConsumer<AppointmentRescheduled>
{
    public Task Consume(ConsumeContext<AppointmentRescheduled> context)
    {
        var moved = context.Message;
        return database.ConsumeOnceAsync(context, nameof(RecordAppointmentRescheduled), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, moved.ReferralId,
                $"Session {moved.SessionNumber} moved from {BookingView.Local(moved.OldLocalStart)} to {BookingView.Local(moved.NewLocalStart)}",
                booking => booking.WithSession(moved.SessionNumber, s => s with { LocalStart = BookingView.Local(moved.NewLocalStart), StartUtc = moved.NewStartUtc }),
                clock.GetCurrentInstant()));
    }
}

/// <summary>Marks a cancelled session on the referral's course.</summary>
public sealed class RecordAppointmentCancelled(ReferralsDatabase database, IClock clock) : IConsumer<AppointmentCancelled>
{
    public Task Consume(ConsumeContext<AppointmentCancelled> context)
    {
        var cancelled = context.Message;
        return database.ConsumeOnceAsync(context, nameof(RecordAppointmentCancelled), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, cancelled.ReferralId,
                $"Session {cancelled.SessionNumber} on {BookingView.Local(cancelled.LocalStart)} cancelled by {cancelled.CancelledBy}",
                booking => booking.WithSession(cancelled.SessionNumber, s => s with { Status = SessionView.Cancelled }),
                clock.GetCurrentInstant()));
    }
}
