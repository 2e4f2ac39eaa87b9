using Dit.Notifications.Contacts;
using Dit.Notifications.Texts;

namespace Dit.Notifications.Reminders;

/// <summary>Text reminders: Notify's reminder template (<see cref="TextSender"/>), the reminder's id as the reference.</summary>
public sealed class SmsReminders(TextSender sender) : IReminderChannel
{
    public string Name => "sms";

    public Task SendAsync(PatientContact patient, ReminderMessage message, string messageId, CancellationToken cancellationToken) =>
        sender.SendAsync(patient.ReferralId, patient.Mobile!, new TextMessage("reminder", message.Personalisation, message.Text), messageId, cancellationToken);
}
