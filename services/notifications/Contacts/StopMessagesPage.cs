using System.Net;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Contacts;

/// <summary>
/// <c>/stop/{token}</c>, the link at the end of every message: a page that asks the patient to confirm (a link opened by a
/// mail scanner changes nothing), then withdraws their consent to that channel — here at once (pending reminders, texts
/// and mail on it are dropped) and, through <see cref="MessagesStopped"/>, in referrals and scheduling. Plain HTML, no
/// script, no login: the token is the key, and only its hash is kept.
/// </summary>
public static class StopMessagesPage
{
    public static IEndpointRouteBuilder MapStopMessagesPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stop/{token}", ShowAsync).ExcludeFromDescription().RequireRateLimiting(RateLimits.PrivateLink);
        app.MapPost("/stop/{token}", StopAsync).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(RateLimits.PrivateLink);
        return app;
    }

    private sealed record Link(string ReferralId, string Channel);

    private static string MessagesOf(string channel) => channel == "sms" ? "text messages" : "emails";

    private static async Task<Link?> FindAsync(NotificationsDatabase database, string token)
    {
        if (token.Length is < 20 or > 100) return null;
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Link>(
            "select referral_id as ReferralId, channel as Channel from stop_links where token_hash = @hash", new { hash = ApiKeys.Hash(token) });
    }

    public static async Task<IResult> ShowAsync(string token, NotificationsDatabase database, ClinicDetails clinic)
    {
        if (await FindAsync(database, token) is not { } link)
            return Page(404, "This link does not work", $"<p>Please check you used the whole link. To stop messages, call {E(clinic.Name)} on {E(clinic.Phone)}.</p>");
        var what = MessagesOf(link.Channel);
        return Page(200, $"Stop {what} from {clinic.Name}?",
            $"""
            <p>You will get no more {what} about your therapy sessions: no reminders, no changes, no questionnaire links.
            Your sessions stay booked{(link.Channel == "sms" ? ", and emails go on if you agreed to them" : ", and texts go on if you agreed to them")}.</p>
            <form method="post"><button type="submit">Stop {what}</button></form>
            <p>To change your mind later, call {E(clinic.Name)} on {E(clinic.Phone)}.</p>
            """);
    }

    public static async Task<IResult> StopAsync(string token, NotificationsDatabase database, ClinicDetails clinic, IClock clock)
    {
        if (await FindAsync(database, token) is not { } link)
            return Page(404, "This link does not work", $"<p>Nothing was changed. To stop messages, call {E(clinic.Name)} on {E(clinic.Phone)}.</p>");
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            var at = now.ToUnixTimeMilliseconds();
            var (consent, queue) = link.Channel == "sms" ? ("consent_sms", "outgoing_texts") : ("consent_email", "outgoing_mail");
            // Once: a second press (or a second link) changes nothing more.
            if (await connection.ExecuteAsync($"update patients set {consent} = 0 where referral_id = @ReferralId and {consent} <> 0", link, transaction) == 0)
                return false;
            await connection.ExecuteAsync(
                "update reminders set status = 'dropped' where referral_id = @ReferralId and channel = @Channel and status = 'pending'", link, transaction);
            await connection.ExecuteAsync(
                $"""
                update {queue} set undeliverable_at = @at, last_error = 'the patient stopped these messages'
                where referral_id = @ReferralId and sent_at is null and undeliverable_at is null
                """, new { link.ReferralId, at }, transaction);
            var patient = await Patients.FindAsync(connection, transaction, link.ReferralId);
            await Messages.MessageLog.RecordAsync(connection, transaction, link.ReferralId, "stop", link.Channel,
                (link.Channel == "sms" ? patient?.Mobile : patient?.Email) ?? "", "stopped by the patient", now);
            await Outbox.AddAsync(connection, transaction, new MessagesStopped(Guid.Parse(link.ReferralId), link.Channel, now.ToDateTimeOffset()), now);
            return true;
        });
        var what = MessagesOf(link.Channel);
        return Page(200, $"You will get no more {what} from us",
            $"<p>Your sessions stay booked. To start {what} again, call {E(clinic.Name)} on {E(clinic.Phone)}.</p>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static IResult Page(int status, string title, string body) => PatientPage.Html(status, title, body);
}
