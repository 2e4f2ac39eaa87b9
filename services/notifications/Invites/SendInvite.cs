namespace Dit.Notifications.Invites;

/// <summary>A booked course: the patient's invite (<see cref="CourseInvitations"/>).</summary>
public sealed class SendInvite(NotificationsDatabase database, CourseInvitations invitations, IClock clock) : IConsumer<CourseBooked>
{
    public Task Consume(ConsumeContext<CourseBooked> context) =>
        database.ConsumeOnceAsync(context, nameof(SendInvite), clock, (connection, transaction) =>
            invitations.InviteAsync(connection, transaction, context.Message));
}
