using System.Text.Json;

namespace Dit.Referrals.Status;

public static class ReferralHistory
{
    public static Task AddAsync(DbConnection connection, DbTransaction transaction, Guid referralId, string status, string? detail, Instant at) =>
        connection.ExecuteAsync(
            "insert into referral_history (referral_id, status, detail, at) values (@id, @status, @detail, @at)",
            new { id = referralId.ToString(), status, detail, at = at.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>
    /// Moves a referral to <paramref name="status"/> and records the change, in the caller's transaction — if
    /// <see cref="ReferralStatus.MayMove"/> allows it; otherwise records the refusal and changes nothing.
    /// </summary>
    /// <returns>Whether the referral moved.</returns>
    public static async Task<bool> ChangeStatusAsync(DbConnection connection, DbTransaction transaction, Guid referralId,
        string status, string? detail, BookingView? booking, Instant at)
    {
        // The row's lock first (a no-op update on PostgreSQL; SQLite's transaction has the whole file), then its status.
        await connection.ExecuteAsync("update referrals set updated_at = updated_at where id = @id", new { id = referralId.ToString() }, transaction);
        var current = await connection.QuerySingleOrDefaultAsync<string>(
            "select status from referrals where id = @id", new { id = referralId.ToString() }, transaction);
        if (current is null) return false;
        if (!ReferralStatus.MayMove(current, status))
        {
            await AddAsync(connection, transaction, referralId, current, $"Refused: {status} while {current} ({detail})", at);
            return false;
        }
        await WriteStatusAsync(connection, transaction, referralId, status, detail, booking, at);
        return true;
    }

    private static async Task WriteStatusAsync(DbConnection connection, DbTransaction transaction, Guid referralId,
        string status, string? detail, BookingView? booking, Instant at)
    {
        await connection.ExecuteAsync(
            """
            update referrals set status = @status, booking_json = coalesce(@bookingJson, booking_json),
                therapist_id = coalesce(@therapistId, therapist_id), updated_at = @at
            where id = @id
            """,
            new
            {
                id = referralId.ToString(), status, bookingJson = booking?.ToJson(), at = at.ToUnixTimeMilliseconds(),
                // Who holds the course now: the therapist who may see this patient's name and contact details.
                therapistId = booking?.TherapistId?.ToString(),
            }, transaction);
        await AddAsync(connection, transaction, referralId, status, detail, at);
        await Fhir.BarsNews.QueueAsync(connection, transaction, referralId, detail, at);
    }

    /// <summary>
    /// Applies a change to the referral's booked course (<see cref="BookingChanges"/>) and records it in the history; one
    /// that arrives before the booking is parked for <see cref="ApplyParkedChangesAsync"/>.
    /// </summary>
    public static async Task ChangeBookingAsync(DbConnection connection, DbTransaction transaction, Guid referralId, object change, Instant at)
    {
        // Two changes to one course can arrive at once: a no-op update takes the row's lock first (on
        // PostgreSQL; SQLite's transaction has the whole file), so neither overwrites the other.
        await connection.ExecuteAsync("update referrals set updated_at = updated_at where id = @id", new { id = referralId.ToString() }, transaction);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, string? Json)?>(
            "select status, booking_json from referrals where id = @id", new { id = referralId.ToString() }, transaction);
        if (row is not { } found) return;
        if (found.Json is null)
        {
            await connection.ExecuteAsync(
                "insert into parked_booking_changes (id, referral_id, message_type, body, parked_at) values (@id, @referralId, @type, @body, @at)",
                new
                {
                    id = Guid.NewGuid().ToString(), referralId = referralId.ToString(), type = change.GetType().FullName,
                    body = JsonSerializer.Serialize(change, change.GetType(), MessageJson.Options), at = at.ToUnixTimeMilliseconds(),
                }, transaction);
            return;
        }
        var (detail, apply) = BookingChanges.Of(change);
        await WriteStatusAsync(connection, transaction, referralId, found.Status, detail, apply(BookingView.FromJson(found.Json)), at);
    }

    /// <summary>
    /// Shows scheduling's course on the referral even when the status refused to become <c>booked</c> (the referral was
    /// withdrawn, or the course cancelled, before the booking arrived): the referrer sees the course as scheduling has it —
    /// its cancellation follows, and sessions held before it stay — while the status stays where it is.
    /// </summary>
    public static Task ShowBookingAsync(DbConnection connection, DbTransaction transaction, CourseBooked booked) =>
        connection.ExecuteAsync("update referrals set booking_json = @json where id = @id and booking_json is null",
            new { id = booked.ReferralId.ToString(), json = BookingView.From(booked).ToJson() }, transaction);

    /// <summary>The changes that arrived before the booking, applied now that it is shown.</summary>
    public static async Task ApplyParkedChangesAsync(DbConnection connection, DbTransaction transaction, Guid referralId, Instant at)
    {
        var parked = (await connection.QueryAsync<(string Type, string Body)>(
            "select message_type, body from parked_booking_changes where referral_id = @id order by parked_at, id",
            new { id = referralId.ToString() }, transaction)).ToList();
        await connection.ExecuteAsync("delete from parked_booking_changes where referral_id = @id", new { id = referralId.ToString() }, transaction);
        foreach (var (type, body) in parked)
            await ChangeBookingAsync(connection, transaction, referralId, JsonSerializer.Deserialize(body, MessageJson.ResolveContract(type), MessageJson.Options)!, at);
    }
}
