using Dit.Notifications.Contacts;

namespace Dit.Notifications.Reminders;

/// <summary>A way to remind a patient: email, SMS.</summary>
public interface IReminderChannel
{
    string Name { get; }

    /// <param name="messageId">The same for every try of one reminder, so that a repeat after a crash is the same message.</param>
    /// <exception cref="UndeliverableException">It can never go as addressed: not tried again.</exception>
    Task SendAsync(PatientContact patient, ReminderMessage message, string messageId, CancellationToken cancellationToken);
}
