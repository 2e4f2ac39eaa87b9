using System.Text.Json;

namespace Dit.Referrals.Status;

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

    /// <summary>Scheduling's id of the therapist who holds the course now (null in a booking stored before issue 22).</summary>
    public Guid? TherapistId { get; init; }

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
        TherapistId = booked.TherapistId,
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
