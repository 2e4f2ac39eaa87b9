namespace Dit.Notifications.Messages;

/// <summary>A record of every message sent or tried: what, to whom (masked), when, and how it went.</summary>
public static partial class MessageLog
{
    /// <summary>Records in the caller's connection and transaction: a second connection would wait on SQLite's lock.</summary>
    public static async Task RecordAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        string referralId, string kind, string channel, string to, string outcome, Instant at)
    {
        await connection.ExecuteAsync(
            """
            insert into message_log (id, referral_id, kind, channel, to_masked, at, outcome)
            values (@id, @referralId, @kind, @channel, @to, @at, @outcome)
            """,
            new { id = Guid.NewGuid().ToString(), referralId, kind, channel, to = Mask(to), at = at.ToUnixTimeMilliseconds(), outcome },
            transaction);
    }

    /// <summary>Every email address in <paramref name="text"/> (an SMTP server's answer, say) masked as <see cref="Mask"/> does.</summary>
    public static string MaskAddresses(string text) => EmailAddress().Replace(text, match => Mask(match.Value));

    [System.Text.RegularExpressions.GeneratedRegex(@"[^\s<>()\[\]"",;:]+@[^\s<>()\[\]"",;:]+")]
    private static partial System.Text.RegularExpressions.Regex EmailAddress();

    /// <summary>"alex@example.org" → "a***@example.org"; "+447700900123" → "*******123".</summary>
    public static string Mask(string to) =>
        to.IndexOf('@') is > 0 and var at ? $"{to[0]}***{to[at..]}" : to.Length > 3 ? new string('*', to.Length - 3) + to[^3..] : "***";

    public static IEndpointRouteBuilder MapMessageLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/messages").WithGroupName("notifications").WithTags("Messages")
            .RequireRateLimiting(RateLimits.PerKey).RequireAuthorization(ApiKeyAuthentication.Coordinator)
            .MapGet("/", ListAsync).WithSummary("Messages sent or tried for a referral: what, to whom (masked), when, outcome");
        app.MapGroup("/api/messages").WithGroupName("notifications").WithTags("Messages")
            .RequireRateLimiting(RateLimits.PerKey).RequireAuthorization(ApiKeyAuthentication.Coordinator)
            .MapGet("/reminders", RemindersAsync)
            .WithSummary("Each session's reminders for a referral: by which channel, when due, and what became of them (sent, undeliverable, dropped; Notify's receipt for texts)");
        return app;
    }

    public static async Task<Results<Ok<List<ReminderView>>, ProblemHttpResult>> RemindersAsync(string? referralId, NotificationsDatabase database, HttpContext http)
    {
        if (referralId is null || !Guid.TryParse(referralId, out _)) return Problems.BadRequest("referralId", "The referral's id.");
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(long Session, string Channel, long Due, string Status, string? Delivery)>(
            """
            select session_number, channel, due_at, status, delivery from reminders where referral_id = @referralId
            order by session_number, due_at, channel
            """, new { referralId });
        await http.AuditReadAsync(database, new AuditEntry("messages.read", referralId, null));
        return TypedResults.Ok(rows.Select(r => new ReminderView((int)r.Session, r.Channel, Instant.FromUnixTimeMilliseconds(r.Due).ToDateTimeOffset(),
            r.Status, r.Delivery)).ToList());
    }

    public static async Task<Results<Ok<List<MessageView>>, ProblemHttpResult>> ListAsync(string? referralId, NotificationsDatabase database, HttpContext http)
    {
        if (referralId is null || !Guid.TryParse(referralId, out _)) return Problems.BadRequest("referralId", "The referral's id.");
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Kind, string Channel, string To, long At, string Outcome)>(
            "select kind, channel, to_masked, at, outcome from message_log where referral_id = @referralId order by at, id", new { referralId });
        await http.AuditReadAsync(database, new AuditEntry("messages.read", referralId, null));
        return TypedResults.Ok(rows.Select(r => new MessageView(r.Kind, r.Channel, r.To, Instant.FromUnixTimeMilliseconds(r.At).ToDateTimeOffset(), r.Outcome)).ToList());
    }
}
