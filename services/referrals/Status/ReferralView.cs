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

public sealed record StatusChange(string Status, string? Detail, DateTimeOffset At);

/// <summary>The booked course as the referrer sees it; kept up to date as sessions move or are cancelled.</summary>
public sealed record BookingView(
    Guid CourseId,
    string Therapist,
    string Weekday,
    string Time,
    string TimeZone,
    IReadOnlyList<SessionView> Sessions)
{
    /// <summary>Weeks the course skips because the patient's only time that week was closed (the date it would have had).</summary>
    public IReadOnlyList<string> SkippedWeeks { get; init; } = [];

    /// <summary>
    /// The course's sequence at the last change to its weekly time or therapist. Scheduling numbers every change to a
    /// course; changes arrive in any order, and one older than what is shown is not applied over it.
    /// </summary>
    public int Sequence { get; init; }

    public static BookingView From(CourseBooked booked) => new(
        booked.CourseId,
        booked.TherapistName,
        booked.Weekday.ToString(),
        booked.LocalTime.ToString("HH:mm"),
        booked.TimeZone,
        booked.Sessions.Select(s => new SessionView(s.SessionNumber, Local(s.LocalStart), s.StartUtc, SessionView.Booked)).ToList())
    {
        SkippedWeeks = (booked.SkippedWeeks ?? []).Select(d => d.ToString("yyyy-MM-dd")).ToList(),
        Sequence = booked.Sequence,
    };

    public static BookingView FromJson(string json) => JsonSerializer.Deserialize<BookingView>(json, MessageJson.Options)!;

    public string ToJson() => JsonSerializer.Serialize(this, MessageJson.Options);

    /// <summary>Session <paramref name="number"/> cancelled: for good, whatever else arrives later.</summary>
    public BookingView WithCancelled(int number, int sequence) => WithCancelled(n => n == number, sequence);

    public BookingView WithCancelled(Func<int, bool> numbers, int sequence) => this with
    {
        Sessions = Sessions.Select(s => numbers(s.Number) ? s with { Status = SessionView.Cancelled, Sequence = Math.Max(s.Sequence, sequence) } : s).ToList(),
    };

    /// <summary>The course with each moved session at its new time — unless the session shows a later change already.</summary>
    public BookingView WithMoves(IEnumerable<SessionMove> moves, int sequence)
    {
        var byNumber = moves.ToDictionary(m => m.SessionNumber);
        return this with
        {
            Sessions = Sessions.Select(s => byNumber.TryGetValue(s.Number, out var m) && sequence > s.Sequence
                ? s with { LocalStart = Local(m.NewLocalStart), StartUtc = m.NewStartUtc, Sequence = sequence }
                : s).ToList(),
        };
    }

    /// <summary>Sessions an extension added (once: those shown already stay as they are).</summary>
    public BookingView WithAdded(IEnumerable<BookedSession> added, int sequence) => this with
    {
        Sessions = Sessions.Concat(added.Where(a => Sessions.All(s => s.Number != a.SessionNumber))
            .Select(a => new SessionView(a.SessionNumber, Local(a.LocalStart), a.StartUtc, SessionView.Booked) { Sequence = sequence }))
            .OrderBy(s => s.Number).ToList(),
    };

    /// <summary>The course's weekly time or therapist as of change <paramref name="sequence"/>, unless a later one is shown.</summary>
    public BookingView WithCourseChange(int sequence, Func<BookingView, BookingView> change) =>
        sequence > Sequence ? change(this) with { Sequence = sequence } : this;

    public static string Local(DateTime localStart) => localStart.ToString("yyyy-MM-dd'T'HH:mm");
}

public sealed record SessionView(int Number, string LocalStart, DateTimeOffset StartUtc, string Status)
{
    /// <summary>The course's sequence at the last change to this session (0: as booked).</summary>
    public int Sequence { get; init; }

    public const string Booked = "booked";
    public const string Cancelled = "cancelled";
}
