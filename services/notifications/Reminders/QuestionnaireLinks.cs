namespace Dit.Notifications.Reminders;

/// <summary>
/// A private link to one session's questionnaire, made for an email reminder: 256 random bits, sent to the patient and
/// nowhere else; only its SHA-256 goes to scheduling (<see cref="QuestionnaireLinkIssued"/>, in the reminder's claim
/// transaction, so the link works by the time the mail is read). Nothing here keeps the token.
/// </summary>
public static class QuestionnaireLinks
{
    public static async Task<Uri?> IssueAsync(DbConnection connection, DbTransaction transaction, PatientLinks links,
        string courseId, string referralId, int sessionNumber, Instant now)
    {
        if (!links.HasQuestionnaires) return null;
        var token = ApiKeys.NewToken();
        await Outbox.AddAsync(connection, transaction,
            new QuestionnaireLinkIssued(Guid.Parse(courseId), Guid.Parse(referralId), sessionNumber, ApiKeys.Hash(token), now.ToDateTimeOffset()), now);
        return links.Questionnaire(token);
    }
}
