using Dit.Notifications.Contacts;
using Dit.Notifications.Invites;
using Dit.Notifications.Mail;

namespace Dit.Notifications.Reminders;

public sealed class EmailReminders(MailSender sender, ClinicDetails clinic) : IReminderChannel
{
    public string Name => "email";

    public Task SendAsync(PatientContact patient, ReminderMessage message, string messageId, CancellationToken cancellationToken) =>
        sender.SendTextAsync(patient.Email!, "Reminder: your therapy session", $"Dear {patient.GivenName},\n\n{message.Text}\n\n{clinic.Name}, {clinic.Phone}",
            messageId, cancellationToken);
}
