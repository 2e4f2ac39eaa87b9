namespace Dit.Notifications.Reminders;

/// <summary>
/// What a reminder says, as fields: email writes them as text; GOV.UK Notify fills its template's personalisation with
/// them (nothing of the referral's free text is in any).
/// </summary>
public sealed record ReminderMessage(string GivenName, int SessionNumber, int Sessions, string When, string? JoinUrl, string? QuestionnaireLink,
    string StopLink)
{
    /// <summary>The reminder as plain text (email, and the texts written to files when no Notify service is set).</summary>
    public string Text =>
        $"Your Dynamic Interpersonal Therapy session {SessionNumber} of {Sessions} is on {When} (UK time)." +
        (JoinUrl is null ? "" : $"\n\nJoin the video session at {JoinUrl}") +
        (QuestionnaireLink is null ? "" : $"\n\nBefore the session, please tell us how you have been (about five minutes):\n{QuestionnaireLink}\n" +
                                          "This link is for you alone. You can change your answers until the session starts.") +
        $"\n\nTo stop these messages: {StopLink}";

    /// <summary>The Notify template's personalisation: every key the reminder template may use, empty where there is nothing.</summary>
    public Dictionary<string, string> Personalisation => new()
    {
        ["name"] = GivenName,
        ["session_number"] = SessionNumber.ToString(),
        ["sessions"] = Sessions.ToString(),
        ["when"] = When,
        ["join_link"] = JoinUrl ?? "",
        ["questionnaire_link"] = QuestionnaireLink ?? "",
        ["stop_link"] = StopLink,
    };
}
