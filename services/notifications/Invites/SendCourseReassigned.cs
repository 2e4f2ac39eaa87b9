namespace Dit.Notifications.Invites;

/// <summary>
/// A session and all later ones went to another therapist: one update, with any sessions whose time changed. A course
/// brought forward as a whole says it starts sooner, and when.
/// </summary>
public sealed class SendCourseReassigned(SeriesUpdates updates) : IConsumer<CourseReassigned>
{
    public Task Consume(ConsumeContext<CourseReassigned> context)
    {
        var reassigned = context.Message;
        var moved = reassigned.Sessions.Where(m => m.NewStartUtc != m.OldStartUtc).ToList();
        var (subject, text) = reassigned.BroughtForward
            ? ("Your therapy starts sooner",
               $"Your course now starts sooner: your first session is on {Formats.Describe(reassigned.Sessions[0].NewLocalStart)}, with {reassigned.TherapistName}. " +
               "Every session has a new date; the updated calendar invite holds them all.")
            : ("Your therapist has changed",
               $"From session {reassigned.FromSession}, your sessions are with {reassigned.TherapistName}. " + (moved.Count == 0
                   ? "Your session times stay the same."
                   : string.Join(" ", moved.Select(m => $"Session {m.SessionNumber} has moved from {Formats.Describe(m.OldLocalStart)} to {Formats.Describe(m.NewLocalStart)}."))));
        return updates.ApplyAsync(context, nameof(SendCourseReassigned), reassigned.CourseId, series => SeriesChanges.Apply(series, reassigned), subject, _ => text);
    }
}
