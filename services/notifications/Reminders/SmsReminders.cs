using Dit.Notifications.Contacts;
using Dit.Notifications.Mail;

namespace Dit.Notifications.Reminders;

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
