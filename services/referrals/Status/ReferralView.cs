using System.Text.Json;

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
    /// <summary>How the course ended and its outcome (recovery, reliable improvement…); null until it has ended.</summary>
    public OutcomeView? Outcome { get; init; }

    private const string Select = """
        select id as Id, referrer_reference as ReferrerReference, status as Status, booking_json as BookingJson,
               created_at as CreatedAt, updated_at as UpdatedAt, outcome_json as OutcomeJson
        from referrals
        """;

    public static async Task<ReferralView?> LoadAsync(ReferralsDatabase database, string referrerId, Guid id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<ReferralRow>(
            $"{Select} where id = @id and referrer_id = @referrerId", new { id = id.ToString(), referrerId });
        return row is null ? null : await ViewAsync(connection, row);
    }

    public static async Task<ReferralView?> FindByReferenceAsync(ReferralsDatabase database, string referrerId, string reference)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<ReferralRow>(
            $"{Select} where referrer_id = @referrerId and referrer_reference = @reference", new { referrerId, reference });
        return row is null ? null : await ViewAsync(connection, row);
    }

    private static async Task<ReferralView> ViewAsync(System.Data.Common.DbConnection connection, ReferralRow row)
    {
        var history = await connection.QueryAsync<(string Status, string? Detail, long At)>(
            "select status, detail, at from referral_history where referral_id = @id order by at, status", new { id = row.Id });
        return new ReferralView(
            Guid.Parse(row.Id), row.ReferrerReference, row.Status, ToOffset(row.CreatedAt), ToOffset(row.UpdatedAt),
            history.Select(h => new StatusChange(h.Status, h.Detail, ToOffset(h.At))).ToList(),
            row.BookingJson is null ? null : BookingView.FromJson(row.BookingJson))
        {
            Outcome = row.OutcomeJson is null ? null : JsonSerializer.Deserialize<OutcomeView>(row.OutcomeJson, MessageJson.Options),
        };
    }

    private static DateTimeOffset ToOffset(long unixMilliseconds) =>
        Instant.FromUnixTimeMilliseconds(unixMilliseconds).ToDateTimeOffset();

    private sealed record ReferralRow(string Id, string ReferrerReference, string Status, string? BookingJson, long CreatedAt, long UpdatedAt,
        string? OutcomeJson);
}
