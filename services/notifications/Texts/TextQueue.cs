using System.Text.Json;

namespace Dit.Notifications.Texts;

public static class TextQueue
{
    /// <summary>Queues a text in the caller's transaction; the <see cref="TextDispatcher"/> sends it.</summary>
    public static Task AddAsync(DbConnection connection, DbTransaction transaction, string referralId, string mobile, TextMessage text, Instant now) =>
        connection.ExecuteAsync(
            """
            insert into outgoing_texts (id, referral_id, kind, to_number, personalisation, body, created_at, next_attempt_at, attempts)
            values (@id, @referralId, @Kind, @mobile, @personalisation, @Body, @now, @now, 0)
            """,
            new
            {
                id = Guid.NewGuid().ToString(), referralId, text.Kind, mobile, personalisation = JsonSerializer.Serialize(text.Personalisation),
                text.Body, now = now.ToUnixTimeMilliseconds(),
            }, transaction);
}
