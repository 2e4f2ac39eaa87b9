namespace Dit.Referrals.Status;

/// <summary>
/// What each change to a course does to the course the referrer sees, whatever order the changes arrive in: a session
/// shows its latest move (by the course's sequence), a cancellation is for good. A change that arrives before the
/// course's booking is parked and applied when the booking arrives (<see cref="RecordCourseBooked"/>).
/// </summary>
public static class BookingChanges
{
    public static (string Detail, Func<BookingView, BookingView> Change) Of(object message) => message switch
    {
        AppointmentRescheduled moved => (
            $"Session {moved.SessionNumber} moved from {BookingView.Local(moved.OldLocalStart)} to {BookingView.Local(moved.NewLocalStart)}",
            booking => booking.WithMoves([new SessionMove(moved.AppointmentId, moved.SessionNumber, moved.OldLocalStart, moved.OldStartUtc,
                moved.NewLocalStart, moved.NewStartUtc)], moved.Sequence)),
        AppointmentCancelled cancelled => (
            $"Session {cancelled.SessionNumber} on {BookingView.Local(cancelled.LocalStart)} cancelled by {cancelled.CancelledBy}",
            booking => booking.WithCancelled(cancelled.SessionNumber, cancelled.Sequence)),
        CourseRescheduled rescheduled => (
            $"Sessions {rescheduled.Moves.Min(m => m.SessionNumber)}–{rescheduled.Moves.Max(m => m.SessionNumber)} moved to {rescheduled.Weekday}s {rescheduled.LocalTime:HH:mm}",
            booking => booking.WithMoves(rescheduled.Moves, rescheduled.Sequence).WithCourseChange(rescheduled.Sequence, b => b with
            {
                Weekday = rescheduled.Weekday.ToString(),
                Time = rescheduled.LocalTime.ToString("HH:mm"),
            })),
        CourseReassigned reassigned => (
            reassigned.BroughtForward
                ? $"Course brought forward to start {BookingView.Local(reassigned.Sessions[0].NewLocalStart)}, with {reassigned.TherapistName} (a time the patient agreed to)"
                : $"From session {reassigned.FromSession} the therapist is {reassigned.TherapistName}",
            booking => booking.WithMoves(reassigned.Sessions, reassigned.Sequence)
                .WithCourseChange(reassigned.Sequence, b => b with { Therapist = reassigned.TherapistName, TherapistId = reassigned.TherapistId })),
        // Only the sessions still to come are cancelled; those held keep their status. (Null: a message from before the
        // field, which cancelled every session.)
        CourseCancelled course => (
            course.CancelledSessions is null ? "All sessions cancelled" : $"The sessions still to come cancelled: {course.CancelledSessions.Count}",
            booking => booking.WithCancelled(n => course.CancelledSessions is null || course.CancelledSessions.Contains(n), course.Sequence)),
        CourseExtended extended => (
            $"Course extended to {extended.Sessions} sessions",
            booking => booking.WithAdded(extended.Added, extended.Sequence)),
        _ => throw new ArgumentException($"Not a change to a course: {message.GetType().Name}", nameof(message)),
    };
}
