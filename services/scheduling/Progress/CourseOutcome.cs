namespace Dit.Scheduling.Progress;

/// <summary>
/// A course's outcome by the NHS Talking Therapies definitions, from its first and last scored sessions (at least two):
/// recovery — a case at the first, below both caseness thresholds at the last (asked only of those who were a case);
/// reliable improvement — PHQ-9 down 6 or more or GAD-7 down 4 or more, and neither up by as much; reliable deterioration —
/// the reverse; reliable recovery — both recovery and reliable improvement.
/// </summary>
public sealed record CourseOutcome(
    int ScoredSessions, int FirstSession, int LastSession, bool CaseAtStart, bool? Recovered,
    bool ReliableImprovement, bool ReliableDeterioration, bool? ReliableRecovery)
{
    public const int Phq9ReliableChange = 6;
    public const int Gad7ReliableChange = 4;

    public static CourseOutcome? From(IEnumerable<ScoredSession> scores)
    {
        var ordered = scores.OrderBy(s => s.Session).ToList();
        if (ordered.Count < 2) return null;
        var (first, last) = (ordered[0], ordered[^1]);
        var phq9Change = last.Phq9 - first.Phq9;
        var gad7Change = last.Gad7 - first.Gad7;
        var improved = phq9Change <= -Phq9ReliableChange || gad7Change <= -Gad7ReliableChange;
        var worsened = phq9Change >= Phq9ReliableChange || gad7Change >= Gad7ReliableChange;
        var recovered = first.IsCase ? !last.IsCase : (bool?)null;
        var reliableImprovement = improved && !worsened;
        return new CourseOutcome(ordered.Count, first.Session, last.Session, first.IsCase, recovered,
            reliableImprovement, worsened && !improved, recovered is null ? null : recovered.Value && reliableImprovement);
    }

    /// <summary>In words, for the coordinator page and the referrer.</summary>
    public string Summary =>
        (Recovered, ReliableImprovement, ReliableDeterioration) switch
        {
            (null, _, true) => "Not a case at the start; reliable deterioration",
            (null, true, _) => "Not a case at the start; reliable improvement",
            (null, _, _) => "Not a case at the start; no reliable change",
            (true, true, _) => "Reliable recovery",
            (true, false, _) => "Recovered (no reliable improvement)",
            (false, true, _) => "Reliable improvement, not recovered",
            (false, _, true) => "Reliable deterioration",
            _ => "No reliable change",
        };
}
