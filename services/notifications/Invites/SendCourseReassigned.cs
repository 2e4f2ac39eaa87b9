namespace Dit.Notifications.Invites;

/// <summary>A session and all later ones went to another therapist: one update, with any sessions whose time changed.</summary>
public sealed class SendCourseReassigned(SeriesUpdates updates) : IConsumer<CourseReassigned>
{
    public Task Consume(ConsumeContext<CourseReassigned> context)
    {
        var reassigned = context.Message;
        var moved = reassigned.Sessions.Where(m => m.NewStartUtc != m.OldStartUtc).ToList();
        return updates.ApplyAsync(context, nameof(SendCourseReassigned), reassigned.CourseId,
            series => SeriesChanges.Apply(series, reassigned),
            "Your therapist has changed",
            _ => $"From session {reassigned.FromSession}, your sessions are with {reassigned.TherapistName}. " + (moved.Count == 0
                ? "Your session times stay the same."
                : string.Join(" ", moved.Select(m => $"Session {m.SessionNumber} has moved from {Formats.Describe(m.OldLocalStart)} to {Formats.Describe(m.NewLocalStart)}."))));
    }
}
