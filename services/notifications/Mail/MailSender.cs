using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Dit.Notifications.Invites;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Dit.Notifications.Mail;

/// <summary>
/// Sends one calendar email (RFC 6047): multipart/alternative with plain text, HTML and
/// <c>text/calendar; method=…</c>, plus the same calendar as an <c>invite.ics</c> attachment.
/// </summary>
public sealed class MailSender(MailOptions options, ClinicDetails clinic, ILogger<MailSender> logger)
{
    // A few quick retries for a blip; when SMTP keeps failing the breaker opens and sends fail fast
    // for a while, leaving the mails queued for the dispatcher's next rounds.
    private readonly ResiliencePipeline _smtp = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SmtpException>().Handle<IOException>().Handle<System.Net.Sockets.SocketException>(),
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
        })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SmtpException>().Handle<IOException>().Handle<System.Net.Sockets.SocketException>(),
            FailureRatio = 1.0,
            MinimumThroughput = 3,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(5),
            OnOpened = args =>
            {
                logger.LogWarning("SMTP failing: not trying for {Seconds} s", args.BreakDuration.TotalSeconds);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>
    /// Sends a queued mail. Its <c>Message-ID</c> comes from the queue row (<paramref name="mailId"/>), so if a
    /// crash between the SMTP server's acceptance and our "sent" mark sends it again, the copy is the same
    /// message to the patient's mail system, not a second invite.
    /// </summary>
    public Task SendAsync(CalendarMail mail, string mailId, CancellationToken cancellationToken) => DeliverAsync(() =>
    {
        var message = new MailMessage
        {
            From = new MailAddress(clinic.Email, clinic.Name),
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        message.Headers["Message-ID"] = $"<{mailId}@{new MailAddress(clinic.Email).Host}>";
        message.To.Add(mail.To);
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        var calendarType = new ContentType("text/calendar") { CharSet = "utf-8" };
        calendarType.Parameters["method"] = mail.CalendarMethod;
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.Calendar, calendarType));
        message.Attachments.Add(Attachment.CreateAttachmentFromString(mail.Calendar, "invite.ics", Encoding.UTF8, "application/ics"));
        return message;
    }, cancellationToken);

    /// <summary>A plain-text mail (reminders), with a stable <c>Message-ID</c> from <paramref name="messageId"/> as <see cref="SendAsync"/>.</summary>
    public Task SendTextAsync(string to, string subject, string text, string messageId, CancellationToken cancellationToken) => DeliverAsync(() =>
    {
        var message = new MailMessage
        {
            From = new MailAddress(clinic.Email, clinic.Name),
            Subject = subject,
            SubjectEncoding = Encoding.UTF8,
            Body = text,
            BodyEncoding = Encoding.UTF8,
        };
        message.Headers["Message-ID"] = $"<{messageId}@{new MailAddress(clinic.Email).Host}>";
        message.To.Add(to);
        return message;
    }, cancellationToken);

    /// <summary>Each attempt builds the message afresh: a failed send leaves its streams spent.</summary>
    private async Task DeliverAsync(Func<MailMessage> build, CancellationToken cancellationToken)
    {
        if (options.SmtpHost is null)
        {
            Directory.CreateDirectory(options.PickupFolder);
            using var pickup = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = options.PickupFolder };
            using var message = build();
            await pickup.SendMailAsync(message, cancellationToken);
            return;
        }
        await _smtp.ExecuteAsync(async token =>
        {
            using var client = new SmtpClient(options.SmtpHost, options.SmtpPort) { EnableSsl = options.SmtpSsl, Timeout = 30_000 };
            if (options.SmtpUser is not null) client.Credentials = new NetworkCredential(options.SmtpUser, options.SmtpPassword);
            using var message = build();
            await client.SendMailAsync(message, token);
        }, cancellationToken);
    }
}
