namespace Dit.Scheduling.Progress;

/// <summary>A session's stored answers and totals.</summary>
public sealed record StoredScores(long SessionNumber, string Phq9Items, string Gad7Items, string? WsasItems, long Phq9, long Gad7, long? Wsas,
    string RecordedBy, long RecordedAt)
{
    public ScoredSession Totals => new((int)SessionNumber, (int)Phq9, (int)Gad7);
}
