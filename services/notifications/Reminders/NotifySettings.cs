namespace Dit.Notifications.Reminders;

/// <summary>
/// <c>Notifications:Notify</c>: the GOV.UK Notify service that sends texts. With no <see cref="ApiKey"/>, texts are
/// written to files under the mail pickup folder instead (development). The key is a secret: from a secret store,
/// never logged.
/// </summary>
public sealed class NotifySettings : ICheckedSettings
{
    public const string Section = "Notifications:Notify";

    /// <summary>The service's API key ("name-serviceid-secret"), made in Notify's "API integration".</summary>
    public string? ApiKey { get; set; }

    /// <summary>Notify's address; another only for a local stand-in.</summary>
    [AbsoluteUrl("https", "http")]
    public string BaseUrl { get; set; } = "https://api.notifications.service.gov.uk";

    /// <summary>The text template for a session reminder (its id in Notify); its personalisation: name, session_number, sessions, when, join_link, questionnaire_link.</summary>
    public string? ReminderTemplateId { get; set; }

    public void CheckTogether(string section)
    {
        if (string.IsNullOrWhiteSpace(ApiKey)) { ApiKey = null; return; }
        if (!Guid.TryParse(ReminderTemplateId, out _))
            throw new InvalidSettingException($"{section}:ReminderTemplateId", "the id (a UUID) of the Notify text template for reminders, once an ApiKey is set", ReminderTemplateId ?? "");
    }
}
