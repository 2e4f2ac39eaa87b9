namespace Dit.Referrals.Status;

public sealed record SessionView(int Number, string LocalStart, DateTimeOffset StartUtc, string Status)
{
    /// <summary>The course's sequence at the last change to this session (0: as booked).</summary>
    public int Sequence { get; init; }

    public const string Booked = "booked";
    public const string Cancelled = "cancelled";
}
