using Dit.Notifications.Mail;
using Dit.Notifications.Reminders;
using Notify.Client;
using Notify.Exceptions;

namespace Dit.Notifications.Texts;

/// <summary>
/// Sends one text through GOV.UK Notify with its official client (<c>GovukNotify</c>): the kind's template, its
/// personalisation, our message id as the reference (Notify's delivery receipt names it). Notify's answers as it
/// documents them: 400 (a number that is not a UK mobile, a bad request) can never go — <see cref="UndeliverableException"/>;
/// 403 (the key), 429 (rate or daily limit) and 5xx are for the caller to try again later. With no Notify key, each
/// text is written to <c>{pickup}/sms/</c> named by the message id.
/// </summary>
public sealed class TextSender(MailOptions options, NotifySettings notify, ILogger<TextSender> logger)
{
    private readonly NotificationClient? _client = notify.ApiKey is { } key ? new NotificationClient(notify.BaseUrl, key) : null;

    public async Task SendAsync(string referralId, string mobile, TextMessage message, string messageId, CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            var folder = Path.Combine(options.PickupFolder, "sms");
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, $"{messageId}.txt"), $"To: {mobile}\n\n{message.Body}\n", cancellationToken);
            logger.LogInformation("{Kind} text written for referral {ReferralId}", message.Kind, referralId);
            return;
        }
        try
        {
            await _client.SendSmsAsync(mobile, notify.TemplateFor(message.Kind),
                message.Personalisation.ToDictionary(p => p.Key, dynamic (p) => p.Value), messageId);
        }
        catch (NotifyClientException error) when (StatusOf(error) == 400)
        {
            throw new UndeliverableException($"Notify refused the text: {Reason(error)}");
        }
        catch (NotifyClientException error)
        {
            throw new InvalidOperationException($"Notify did not take the text ({StatusOf(error)?.ToString() ?? "no answer"}): {Reason(error)}");
        }
    }

    /// <summary>The HTTP status in the client's message ("Status code 400. The following errors occured …").</summary>
    private static int? StatusOf(NotifyClientException error) =>
        error.Message.StartsWith("Status code ", StringComparison.Ordinal) && int.TryParse(error.Message.AsSpan(12, 3), out var status) ? status : null;

    /// <summary>Notify's own words, without the number (its error messages do not repeat it, but be sure).</summary>
    private static string Reason(NotifyClientException error) => error.Message.Length > 300 ? error.Message[..300] : error.Message;
}
