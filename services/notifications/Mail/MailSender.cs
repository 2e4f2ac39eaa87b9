using System.Text;
using Dit.Notifications.Invites;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Dit.Notifications.Mail;

/// <summary>
/// Sends one calendar email (RFC 6047) with MailKit: multipart/alternative with plain text, HTML and
/// <c>text/calendar; method=…</c>, plus the same calendar as an <c>invite.ics</c> attachment.
/// </summary>
public sealed class MailSender(MailOptions options, ClinicDetails clinic, ILogger<MailSender> logger)
{
    // A few quick retries for a blip; when the SMTP server keeps failing the breaker opens and sends fail fast for a
    // while, leaving the mails queued for the dispatcher's next rounds. Only failures of the server count: a recipient
    // it rejects is that mail's problem, and must not stop everybody else's.
    private readonly ResiliencePipeline _smtp = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsServerFailure),
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
        })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsServerFailure),
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

    /// <summary>A 5xx answer: the server will not take this mail as it is (an unknown mailbox, say), however often asked.</summary>
    public static bool IsPermanentRejection(Exception exception) => exception is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 };

    /// <summary>
    /// The mail itself cannot be made (MimeKit refuses the address, a header or a part): no server is at fault and no
    /// second try can succeed, so it is undeliverable at once rather than retried as if the server were down.
    /// </summary>
    public static bool CannotBuild(Exception exception) => exception is ParseException or FormatException or ArgumentException;

    /// <summary>What went wrong, for the message log: a server's answer with its reply code ("550 5.1.1 …").</summary>
    public static string Describe(Exception exception) =>
        exception is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}" : exception.Message;

    /// <summary>The server unreachable, unavailable (421) or breaking off: worth trying again soon, and a sign for the breaker.</summary>
    private static bool IsServerFailure(Exception exception) => exception is System.Net.Sockets.SocketException or IOException
        or TimeoutException or SmtpProtocolException or ServiceNotConnectedException or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    /// <summary>
    /// Sends a queued mail. Its <c>Message-ID</c> comes from the queue row (<paramref name="mailId"/>), so if a
    /// crash between the SMTP server's acceptance and our "sent" mark sends it again, the copy is the same
    /// message to the patient's mail system, not a second invite.
    /// </summary>
    public Task SendAsync(CalendarMail mail, string mailId, CancellationToken cancellationToken)
    {
        var message = NewMessage(mail.To, mail.Subject, mailId);
        // Base64, as the attachment: the calendar's CRLF line ends and folded lines reach the client byte for byte.
        var calendar = new TextPart("calendar") { Text = mail.Calendar, ContentTransferEncoding = ContentEncoding.Base64 };
        calendar.ContentType.Charset = "utf-8";
        calendar.ContentType.Parameters.Add("method", mail.CalendarMethod);
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(mail.Calendar))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "invite.ics",
        };
        message.Body = new Multipart("mixed")
        {
            new MultipartAlternative { Text("plain", mail.TextBody), Text("html", mail.HtmlBody), calendar },
            attachment,
        };
        return DeliverAsync(message, cancellationToken);
    }

    /// <summary>A plain-text mail (reminders), with a stable <c>Message-ID</c> from <paramref name="messageId"/> as <see cref="SendAsync"/>.</summary>
    public Task SendTextAsync(string to, string subject, string text, string messageId, CancellationToken cancellationToken)
    {
        var message = NewMessage(to, subject, messageId);
        message.Body = Text("plain", text);
        return DeliverAsync(message, cancellationToken);
    }

    private MimeMessage NewMessage(string to, string subject, string id)
    {
        // MimeKit would read "a(evil)@example.org" as a@example.org: a mail goes only to the address stored, as itself.
        if (Dit.Platform.ContactAddresses.EmailProblem(to) is { } problem) throw new FormatException(problem);
        var message = new MimeMessage { Subject = subject, MessageId = $"{id}@{MailboxAddress.Parse(clinic.Email).Domain}" };
        message.From.Add(new MailboxAddress(clinic.Name, clinic.Email));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    private static TextPart Text(string subtype, string text)
    {
        var part = new TextPart(subtype) { Text = text };
        part.ContentType.Charset = "utf-8";
        return part;
    }

    private async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        // Seven-bit safe on the wire and on disk: bodies are quoted-printable or base64 as their content needs.
        message.Prepare(EncodingConstraint.SevenBit);
        if (options.SmtpHost is null)
        {
            // Written whole under another name, then renamed: a reader of the folder never sees half a mail.
            Directory.CreateDirectory(options.PickupFolder);
            var file = Path.Combine(options.PickupFolder, $"{Guid.NewGuid():N}");
            await message.WriteToAsync(file + ".tmp", cancellationToken);
            File.Move(file + ".tmp", file + ".eml");
            return;
        }
        await _smtp.ExecuteAsync(async token =>
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            await client.ConnectAsync(options.SmtpHost, options.Smtp.Port, options.Smtp.Ssl ? SecureSocketOptions.StartTls : SecureSocketOptions.None, token);
            if (options.Smtp.User is not null) await client.AuthenticateAsync(options.Smtp.User, options.Smtp.Password ?? "", token);
            await client.SendAsync(message, token);
            await client.DisconnectAsync(quit: true, token);
        }, cancellationToken);
    }
}
