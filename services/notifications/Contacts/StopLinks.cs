namespace Dit.Notifications.Contacts;

/// <summary>
/// The link in each message that stops that channel's messages (<see cref="StopMessagesPage"/>): 256 random bits, sent to
/// the patient and nowhere else; only its hash is kept, with the referral and the channel it stops.
/// </summary>
public static class StopLinks
{
    public static async Task<string> IssueAsync(DbConnection connection, DbTransaction transaction, PatientLinks links, string referralId,
        string channel, Instant now)
    {
        var token = ApiKeys.NewToken();
        await connection.ExecuteAsync(
            "insert into stop_links (token_hash, referral_id, channel, created_at) values (@hash, @referralId, @channel, @now)",
            new { hash = ApiKeys.Hash(token), referralId, channel, now = now.ToUnixTimeMilliseconds() }, transaction);
        return links.StopMessages(token);
    }

    /// <summary>The stop line at the end of a mail's text.</summary>
    public static string TextLine(string stopLink) => $"\n\nTo stop emails from us: {stopLink}";

    public static string HtmlLine(string stopLink) =>
        $"\n<p style=\"font-size:smaller\"><a href=\"{System.Net.WebUtility.HtmlEncode(stopLink)}\">Stop emails from us</a></p>";
}
