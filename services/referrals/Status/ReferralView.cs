using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;

namespace Dit.Referrals.Status;

/// <summary>What a referrer sees of one of its referrals (GET /api/referrals/{id}).</summary>
public sealed record ReferralView(
    Guid Id,
    string ReferrerReference,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<StatusChange> History,
    BookingView? Booking)
{
    public static async Task<ReferralView?> LoadAsync(ReferralsDatabase database, string referrerId, Guid id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<ReferralRow>(
            """
            select id as Id, referrer_reference as ReferrerReference, status as Status, booking_json as BookingJson,
                   created_at as CreatedAt, updated_at as UpdatedAt
            from referrals where id = @id and referrer_id = @referrerId
            """,
            new { id = id.ToString(), referrerId });
        if (row is null) return null;
        var history = await connection.QueryAsync<(string Status, string? Detail, long At)>(
            "select status, detail, at from referral_history where referral_id = @id order by at, status",
            new { id = id.ToString() });
        var booking = row.BookingJson is null ? null : JsonSerializer.Deserialize<CourseBooked>(row.BookingJson, MessageJson.Options);
        return new ReferralView(
            id, row.ReferrerReference, row.Status, ToOffset(row.CreatedAt), ToOffset(row.UpdatedAt),
            history.Select(h => new StatusChange(h.Status, h.Detail, ToOffset(h.At))).ToList(),
            booking is null ? null : BookingView.From(booking));
    }

    private static DateTimeOffset ToOffset(long unixMilliseconds) =>
        Instant.FromUnixTimeMilliseconds(unixMilliseconds).ToDateTimeOffset();

    private sealed record ReferralRow(string Id, string ReferrerReference, string Status, string? BookingJson, long CreatedAt, long UpdatedAt);
}

public sealed record StatusChange(string Status, string? Detail, DateTimeOffset At);

public sealed record BookingView(
    Guid CourseId,
    string Therapist,
    string Weekday,
    string Time,
    string TimeZone,
    IReadOnlyList<SessionView> Sessions)
{
    public static BookingView From(CourseBooked booked) => new(
        booked.CourseId,
        booked.TherapistName,
        booked.Weekday.ToString(),
        booked.LocalTime.ToString("HH:mm"),
        booked.TimeZone,
        booked.Sessions.Select(s => new SessionView(s.SessionNumber, s.LocalStart.ToString("yyyy-MM-dd'T'HH:mm"), s.StartUtc)).ToList());
}

public sealed record SessionView(int Number, string LocalStart, DateTimeOffset StartUtc);
