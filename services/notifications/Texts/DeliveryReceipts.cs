using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Dit.Notifications.Messages;
using Dit.Notifications.Reminders;

namespace Dit.Notifications.Texts;

/// <summary>
/// <c>POST /notify/delivery-receipts</c>: GOV.UK Notify's delivery-receipt callback, authenticated by the bearer token set
/// with it in Notify (<see cref="NotifySettings.CallbackToken"/>). The receipt names our reference (a text's or a
/// reminder's id); its status — delivered, permanent-failure, temporary-failure, technical-failure — is kept with the
/// message and written to the message log; a permanent failure (the number does not exist) goes to the coordinators'
/// list. The same receipt twice changes nothing; a receipt for no message of ours is answered 200 so Notify stops
/// sending it.
/// </summary>
public static class DeliveryReceipts
{
    public sealed record Receipt(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("reference")] string? Reference,
        [property: JsonPropertyName("to")] string? To,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("notification_type")] string? NotificationType);

    private static readonly Dictionary<string, string> Outcomes = new()
    {
        ["delivered"] = "delivered",
        ["permanent-failure"] = "not delivered: the phone number does not exist (Notify: permanent failure)",
        ["temporary-failure"] = "not delivered: the phone was not accepting messages (Notify: temporary failure)",
        ["technical-failure"] = "not delivered: a technical failure at Notify",
    };

    public static IEndpointRouteBuilder MapDeliveryReceipts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/notify/delivery-receipts", ReceiveAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    public static async Task<IResult> ReceiveAsync(HttpRequest request, NotifySettings notify, NotificationsDatabase database, IClock clock,
        ILoggerFactory loggers)
    {
        if (notify.CallbackToken is not { } token) return Results.NotFound();
        var given = Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString());
        if (!CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes($"Bearer {token}"))) return Results.Unauthorized();
        Receipt? receipt;
        try { receipt = await request.ReadFromJsonAsync<Receipt>(); }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException) { receipt = null; }
        if (receipt is not { Reference: { } reference, Status: { } status } || !Outcomes.TryGetValue(status, out var outcome))
            return Results.Problem(title: "Not a delivery receipt", detail: "A receipt names its reference and one of Notify's statuses.", statusCode: 400);

        var found = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            var message = await connection.QuerySingleOrDefaultAsync<(string ReferralId, string Kind, string To)>(
                """
                select referral_id, kind, to_number from outgoing_texts where id = @reference
                union all
                select r.referral_id, 'reminder, session ' || r.session_number, coalesce(p.mobile, '')
                from reminders r left join patients p on p.referral_id = r.referral_id where r.id = @reference and r.channel = 'sms'
                """, new { reference }, transaction);
            if (message.ReferralId is null) return false;
            var changed = 0;
            foreach (var table in new[] { "outgoing_texts", "reminders" })
                changed += await connection.ExecuteAsync(
                    $"update {table} set delivery = @status, delivery_at = @at where id = @reference and (delivery is null or delivery <> @status)",
                    new { reference, status, at = now.ToUnixTimeMilliseconds() }, transaction);
            if (changed == 0) return true;   // this receipt came before
            await MessageLog.RecordAsync(connection, transaction, message.ReferralId, message.Kind, "sms", message.To, outcome, now);
            if (status == "permanent-failure")
                await Outbox.AddAsync(connection, transaction,
                    new MailUndeliverable(Guid.Parse(message.ReferralId), message.Kind, outcome, 1, now.ToDateTimeOffset(), "sms"), now);
            return true;
        }, urgent: false);
        if (!found) loggers.CreateLogger(typeof(DeliveryReceipts)).LogWarning("Delivery receipt {NotifyId} names no text of ours", receipt.Id);
        return Results.Ok();
    }
}
