namespace Dit.Notifications.Reminders;

/// <summary>
/// <c>Notifications:Notify</c>: the GOV.UK Notify service that sends texts — one text template per kind of message, and
/// the token Notify's delivery receipts carry. With no <see cref="ApiKey"/>, texts are written to files under the mail
/// pickup folder instead (development). The key and the token are secrets: from a secret store, never logged.
/// </summary>
public sealed class NotifySettings : ICheckedSettings
{
    public const string Section = "Notifications:Notify";

    /// <summary>The service's API key ("name-serviceid-secret"), made in Notify's "API integration".</summary>
    public string? ApiKey { get; set; }

    /// <summary>Notify's address; another only for a local stand-in.</summary>
    [AbsoluteUrl("https", "http")]
    public string BaseUrl { get; set; } = "https://api.notifications.service.gov.uk";

    /// <summary>A course booked; personalisation: name, sessions, weekly, first_session, therapist, join_link, calendar_link, clinic_phone, stop_link.</summary>
    public string? BookedTemplateId { get; set; }

    /// <summary>A session or the course moved, a session cancelled, the course extended or with another therapist; personalisation: name, change, next_session, clinic_phone, stop_link.</summary>
    public string? ChangedTemplateId { get; set; }

    /// <summary>The course cancelled; personalisation: name, change, clinic_phone, stop_link.</summary>
    public string? CancelledTemplateId { get; set; }

    /// <summary>A session reminder; personalisation: name, session_number, sessions, when, join_link, questionnaire_link, stop_link.</summary>
    public string? ReminderTemplateId { get; set; }

    /// <summary>
    /// The bearer token set with the delivery-receipt callback in Notify's "API integration" → "Callbacks" (at least 10
    /// characters); receipts without it are refused. Unset: the callback address answers 404 and texts show only "sent".
    /// </summary>
    public string? CallbackToken { get; set; }

    /// <summary>The template for a kind of text (booked, changed, cancelled, reminder).</summary>
    public string TemplateFor(string kind) => kind switch
    {
        "booked" => BookedTemplateId!,
        "changed" => ChangedTemplateId!,
        "cancelled" => CancelledTemplateId!,
        "reminder" => ReminderTemplateId!,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such text"),
    };

    public void CheckTogether(string section)
    {
        if (string.IsNullOrWhiteSpace(CallbackToken)) CallbackToken = null;
        else if (CallbackToken.Length < 10)
            throw new InvalidSettingException($"{section}:CallbackToken", "the bearer token set in Notify's callback settings: at least 10 characters, as Notify asks", "(too short)");
        if (string.IsNullOrWhiteSpace(ApiKey)) { ApiKey = null; return; }
        foreach (var (name, value) in new[] { ("BookedTemplateId", BookedTemplateId), ("ChangedTemplateId", ChangedTemplateId),
                     ("CancelledTemplateId", CancelledTemplateId), ("ReminderTemplateId", ReminderTemplateId) })
            if (!Guid.TryParse(value, out _))
                throw new InvalidSettingException($"{section}:{name}", "the id (a UUID) of a Notify text template, once an ApiKey is set", value ?? "");
    }
}
