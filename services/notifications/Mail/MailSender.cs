using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Mail;

/// <summary>
/// Sends one calendar email (RFC 6047): multipart/alternative with plain text, HTML and
/// <c>text/calendar; method=…</c>, plus the same calendar as an <c>invite.ics</c> attachment.
/// </summary>
public sealed class MailSender(MailOptions options, ClinicDetails clinic)
{
    public bool UsesPickupFolder => options.SmtpHost is null;

    public async Task SendAsync(CalendarMail mail, CancellationToken cancellationToken)
    {
        using var message = new MailMessage
        {
            From = new MailAddress(clinic.Email, clinic.Name),
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        message.To.Add(mail.To);
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        var calendarType = new ContentType("text/calendar") { CharSet = "utf-8" };
        calendarType.Parameters["method"] = mail.CalendarMethod;
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.Calendar, calendarType));
        var attachment = Attachment.CreateAttachmentFromString(mail.Calendar, "invite.ics", Encoding.UTF8, "application/ics");
        message.Attachments.Add(attachment);

        await DeliverAsync(message, cancellationToken);
    }

    /// <summary>A plain-text mail (reminders).</summary>
    public async Task SendTextAsync(string to, string subject, string text, CancellationToken cancellationToken)
    {
        using var message = new MailMessage
        {
            From = new MailAddress(clinic.Email, clinic.Name),
            Subject = subject,
            SubjectEncoding = Encoding.UTF8,
            Body = text,
            BodyEncoding = Encoding.UTF8,
        };
        message.To.Add(to);
        await DeliverAsync(message, cancellationToken);
    }

    private async Task DeliverAsync(MailMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        if (options.SmtpHost is null)
        {
            Directory.CreateDirectory(options.PickupFolder);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = options.PickupFolder;
        }
        else
        {
            client.Host = options.SmtpHost;
            client.Port = options.SmtpPort;
            client.EnableSsl = options.SmtpSsl;
            if (options.SmtpUser is not null) client.Credentials = new NetworkCredential(options.SmtpUser, options.SmtpPassword);
        }
        await client.SendMailAsync(message, cancellationToken);
    }
}
