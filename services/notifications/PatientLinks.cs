namespace Dit.Notifications;

/// <summary>
/// Where the links in patients' mail point, section <c>Notifications</c>: <c>PublicBaseUrl</c>, where patients reach this
/// service (the calendar feed; default http://localhost:5080), and <c>Questionnaires:BaseUrl</c>, the scheduling service's
/// public address for the questionnaire links in email reminders (no links when unset).
/// </summary>
public sealed class PatientLinks
{
    public const string Section = "Notifications";

    [AbsoluteUrl("http", "https")]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    public QuestionnairesPart Questionnaires { get; set; } = new();

    /// <summary>The patient's private calendar feed.</summary>
    public string CalendarFeed(string token) => $"{PublicBaseUrl.TrimEnd('/')}/calendar/{token}.ics";

    /// <summary>The page that stops one channel's messages (<see cref="Contacts.StopLinks"/>).</summary>
    public string StopMessages(string token) => $"{PublicBaseUrl.TrimEnd('/')}/stop/{token}";

    /// <summary>Whether email reminders carry questionnaire links: only when questionnaires have an address.</summary>
    public bool HasQuestionnaires => !string.IsNullOrWhiteSpace(Questionnaires.BaseUrl);

    /// <summary>A questionnaire link (<see cref="HasQuestionnaires"/> first).</summary>
    public Uri Questionnaire(string token) => new(new Uri(Questionnaires.BaseUrl!), $"/questionnaire/{token}");

    public sealed class QuestionnairesPart
    {
        [AbsoluteUrl("http", "https", Optional = true)]
        public string? BaseUrl { get; set; }
    }
}
