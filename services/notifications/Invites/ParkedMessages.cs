using System.Text.Json;

namespace Dit.Notifications.Invites;

/// <summary>
/// Messages kept until what they depend on arrives (migration 0005): a course change waits for the course
/// (<see cref="ForCourse"/>), a booking for the patient's contact details (<see cref="ForReferral"/>). The retry policy
/// and the error queues are left for faults.
/// </summary>
public static class ParkedMessages
{
    public static string ForCourse(Guid courseId) => $"course:{courseId}";

    public static string ForReferral(Guid referralId) => $"referral:{referralId}";

    public static Task ParkAsync<T>(DbConnection connection, DbTransaction transaction, string waitsFor, T message, Instant now) where T : class =>
        connection.ExecuteAsync(
            "insert into parked_messages (id, waits_for, message_type, body, parked_at) values (@id, @waitsFor, @type, @body, @now)",
            new
            {
                id = Guid.NewGuid().ToString(), waitsFor, type = typeof(T).Name,
                body = JsonSerializer.Serialize(message, MessageJson.Options), now = now.ToUnixTimeMilliseconds(),
            }, transaction);

    /// <summary>
    /// The course's series, loaded for a change — or null, with <paramref name="change"/> parked until the course's
    /// booking arrives (it travels on another queue). Under the course's lock, as <see cref="CourseInvitations"/> takes
    /// it, so that either the booking sees the parked change or the change sees the series, and two changes to one
    /// course never overwrite each other.
    /// </summary>
    public static async Task<CalendarSeries?> SeriesOrParkAsync<T>(NotificationsDatabase database, DbConnection connection, DbTransaction transaction,
        Guid courseId, T change, Instant now) where T : class
    {
        await database.Dialect.LockAsync(connection, transaction, courseId);
        var series = await CalendarSeries.LoadAsync(connection, transaction, courseId);
        if (series is null) await ParkAsync(connection, transaction, ForCourse(courseId), change, now);
        return series;
    }

    /// <summary>Takes (and deletes) the messages waiting for <paramref name="waitsFor"/>, in the order they were parked.</summary>
    public static async Task<List<(string Type, string Body)>> TakeAsync(DbConnection connection, DbTransaction transaction, string waitsFor)
    {
        var parked = (await connection.QueryAsync<(string Type, string Body)>(
            "select message_type, body from parked_messages where waits_for = @waitsFor order by parked_at, id",
            new { waitsFor }, transaction)).ToList();
        if (parked.Count > 0)
            await connection.ExecuteAsync("delete from parked_messages where waits_for = @waitsFor", new { waitsFor }, transaction);
        return parked;
    }
}
