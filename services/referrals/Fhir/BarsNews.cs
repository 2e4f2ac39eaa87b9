using System.Data.Common;
using Dit.Referrals.Status;
using Hl7.Fhir.Serialization;

namespace Dit.Referrals.Fhir;

/// <summary>
/// The news a BaRS referrer hears of its referral: each change of status or of the booked course — accepted, needs
/// review, booked (its sessions as Appointments), waitlisted and why, a session moved or cancelled, withdrawn, the course
/// cancelled, completed with its outcome — queued as a <c>servicerequest-response</c> message in the transaction that
/// makes the change, numbered per referral, and sent in that order by <see cref="BarsNewsSender"/>. Only referrals that
/// arrived by BaRS from a referrer with a news endpoint have news; the others are polled.
/// </summary>
public static class BarsNews
{
    /// <summary>Where a referral's news goes: the endpoint, the request's correlation id and message id, and the sender's
    /// BaRS identifier (<c>system|value</c>) when its message named one rather than an address.</summary>
    public sealed record Reply(string Endpoint, string CorrelationId, string RequestMessageId, string? TargetIdentifier)
    {
        /// <summary>The news message's destination: the sender's identifier, or its address.</summary>
        public string Destination => TargetIdentifier ?? Endpoint;
    }

    public static Task RememberAsync(DbConnection connection, DbTransaction transaction, Guid referralId, Reply reply) =>
        connection.ExecuteAsync(
            """
            insert into bars_replies (referral_id, endpoint, correlation_id, request_message_id, target_identifier)
            values (@id, @Endpoint, @CorrelationId, @RequestMessageId, @TargetIdentifier)
            """, new { id = referralId.ToString(), reply.Endpoint, reply.CorrelationId, reply.RequestMessageId, reply.TargetIdentifier }, transaction);

    /// <summary>Where the referral's news goes; null when it has none (it came as JSON, or from a referrer that polls).</summary>
    public static Task<Reply?> ReplyOfAsync(DbConnection connection, DbTransaction transaction, string referralId) =>
        connection.QuerySingleOrDefaultAsync<Reply>(
            """
            select endpoint as Endpoint, correlation_id as CorrelationId, request_message_id as RequestMessageId,
                   target_identifier as TargetIdentifier
            from bars_replies where referral_id = @referralId
            """, new { referralId }, transaction);

    /// <summary>Queues the referral's state as it now is, with <paramref name="detail"/> saying what changed; nothing when it has no news endpoint.</summary>
    public static async Task QueueAsync(DbConnection connection, DbTransaction transaction, Guid referralId, string? detail, Instant at)
    {
        var id = referralId.ToString();
        if (await ReplyOfAsync(connection, transaction, id) is not { } reply) return;
        var referral = await connection.QuerySingleAsync<(string? Reference, string Status, string? BookingJson)>(
            "select referrer_reference, status, booking_json from referrals where id = @id", new { id }, transaction);
        var seq = await connection.ExecuteScalarAsync<long>("select coalesce(max(seq), 0) + 1 from bars_news where referral_id = @id", new { id }, transaction);
        var message = BarsResponses.News(reply, referralId, referral.Reference, referral.Status, detail,
            referral.BookingJson is null ? null : BookingView.FromJson(referral.BookingJson), at);
        await connection.ExecuteAsync(
            """
            insert into bars_news (id, referral_id, seq, body, created_at, next_attempt_at)
            values (@newsId, @id, @seq, @body, @at, @at)
            """, new { newsId = Guid.NewGuid().ToString(), id, seq, body = message.ToJson(), at = at.ToUnixTimeMilliseconds() }, transaction);
    }
}
