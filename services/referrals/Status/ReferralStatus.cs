using System.Data.Common;
using Dapper;
using NodaTime;

namespace Dit.Referrals.Status;

public static class ReferralStatus
{
    public const string Received = "received";
    public const string NeedsReview = "needs-review";
    public const string Booked = "booked";
    public const string Waitlisted = "waitlisted";
    public const string Cancelled = "cancelled";
}

public static class ReferralHistory
{
    public static Task AddAsync(DbConnection connection, DbTransaction transaction, Guid referralId, string status, string? detail, Instant at) =>
        connection.ExecuteAsync(
            "insert into referral_history (referral_id, status, detail, at) values (@id, @status, @detail, @at)",
            new { id = referralId.ToString(), status, detail, at = at.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>Moves a referral to <paramref name="status"/> and records the change, in the caller's transaction.</summary>
    public static async Task ChangeStatusAsync(DbConnection connection, DbTransaction transaction, Guid referralId,
        string status, string? detail, string? bookingJson, Instant at)
    {
        await connection.ExecuteAsync(
            """
            update referrals set status = @status, booking_json = coalesce(@bookingJson, booking_json), updated_at = @at
            where id = @id
            """,
            new { id = referralId.ToString(), status, bookingJson, at = at.ToUnixTimeMilliseconds() }, transaction);
        await AddAsync(connection, transaction, referralId, status, detail, at);
    }

    /// <summary>Applies <paramref name="change"/> to the referral's booked course and records it in the history.</summary>
    public static async Task ChangeBookingAsync(DbConnection connection, DbTransaction transaction, Guid referralId,
        string detail, Func<BookingView, BookingView> change, Instant at)
    {
        // Two changes to one course can arrive at once: a no-op update takes the row's lock first (on
        // PostgreSQL; SQLite's transaction has the whole file), so neither overwrites the other.
        await connection.ExecuteAsync("update referrals set updated_at = updated_at where id = @id", new { id = referralId.ToString() }, transaction);
        var (status, json) = await connection.QuerySingleOrDefaultAsync<(string Status, string? Json)>(
            "select status, booking_json from referrals where id = @id", new { id = referralId.ToString() }, transaction);
        if (json is null) return;
        await ChangeStatusAsync(connection, transaction, referralId, status, detail, change(BookingView.FromJson(json)).ToJson(), at);
    }
}
