using Dit.Notifications.Contacts;
using Dit.Notifications.Invites;
using Dit.Notifications.Mail;

namespace Dit.Notifications.Reminders;

/// <summary>A way to remind a patient: email, SMS.</summary>
public interface IReminderChannel
{
    string Name { get; }

    /// <param name="messageId">The same for every try of one reminder, so that a repeat after a crash is the same message.</param>
    Task SendAsync(PatientContact patient, string text, string messageId, CancellationToken cancellationToken);
}

public sealed class EmailReminders(MailSender sender, ClinicDetails clinic) : IReminderChannel
{
    public string Name => "email";

    public Task SendAsync(PatientContact patient, string text, string messageId, CancellationToken cancellationToken) =>
        sender.SendTextAsync(patient.Email!, "Reminder: your therapy session", $"Dear {patient.GivenName},\n\n{text}\n\n{clinic.Name}, {clinic.Phone}",
            messageId, cancellationToken);
}

/// <summary>
/// SMS behind the same interface. No SMS gateway is wired yet: each message is written to
/// <c>{pickup}/sms/</c> as a text file named by the message id (a repeat overwrites it), as mail is when no SMTP server is configured.
/// </summary>
public sealed class SmsReminders(MailOptions options, ILogger<SmsReminders> logger) : IReminderChannel
{
    public string Name => "sms";

    public async Task SendAsync(PatientContact patient, string text, string messageId, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(options.PickupFolder, "sms");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{messageId}.txt"), $"To: {patient.Mobile}\n\n{text}\n", cancellationToken);
        logger.LogInformation("SMS reminder written for referral {ReferralId} to ******{MobileEnd}", patient.ReferralId, patient.Mobile?[^3..]);
    }
}
