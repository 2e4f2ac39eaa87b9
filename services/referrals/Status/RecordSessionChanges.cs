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
                booking => booking.WithMoves([new SessionMove(moved.AppointmentId, moved.SessionNumber, moved.OldLocalStart, moved.OldStartUtc,
                    moved.NewLocalStart, moved.NewStartUtc)], moved.Sequence),
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
                booking => booking.WithCancelled(cancelled.SessionNumber, cancelled.Sequence),
                clock.GetCurrentInstant()));
    }
}

/// <summary>Keeps the referral's course in step when a session and all later ones move to a new weekly slot.</summary>
public sealed class RecordCourseRescheduled(ReferralsDatabase database, IClock clock) : IConsumer<CourseRescheduled>
{
    public Task Consume(ConsumeContext<CourseRescheduled> context)
    {
        var rescheduled = context.Message;
        return database.ConsumeOnceAsync(context, nameof(RecordCourseRescheduled), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, rescheduled.ReferralId,
                $"Sessions {rescheduled.Moves.Min(m => m.SessionNumber)}–{rescheduled.Moves.Max(m => m.SessionNumber)} moved to {rescheduled.Weekday}s {rescheduled.LocalTime:HH:mm}",
                booking => booking.WithMoves(rescheduled.Moves, rescheduled.Sequence).WithCourseChange(rescheduled.Sequence, b => b with
                {
                    Weekday = rescheduled.Weekday.ToString(),
                    Time = rescheduled.LocalTime.ToString("HH:mm"),
                }),
                clock.GetCurrentInstant()));
    }
}

/// <summary>Shows the new therapist, and any new session times, when a course is reassigned.</summary>
public sealed class RecordCourseReassigned(ReferralsDatabase database, IClock clock) : IConsumer<CourseReassigned>
{
    public Task Consume(ConsumeContext<CourseReassigned> context)
    {
        var reassigned = context.Message;
        return database.ConsumeOnceAsync(context, nameof(RecordCourseReassigned), clock, (connection, transaction) =>
            ReferralHistory.ChangeBookingAsync(connection, transaction, reassigned.ReferralId,
                $"From session {reassigned.FromSession} the therapist is {reassigned.TherapistName}",
                booking => booking.WithMoves(reassigned.Sessions, reassigned.Sequence)
                    .WithCourseChange(reassigned.Sequence, b => b with { Therapist = reassigned.TherapistName }),
                clock.GetCurrentInstant()));
    }
}
