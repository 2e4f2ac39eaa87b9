namespace Dit.Referrals.Status;

/// <summary>How the course ended and its outcome by the NHS Talking Therapies definitions (null where they do not apply).</summary>
public sealed record OutcomeView(string Ending, int ScoredSessions, bool? CaseAtStart, bool? Recovered, bool? ReliableImprovement,
    bool? ReliableDeterioration, bool? ReliableRecovery, string Summary, DateTimeOffset At)
{
    public static OutcomeView From(CourseOutcomeRecorded m) => new(m.Ending, m.ScoredSessions, m.CaseAtStart, m.Recovered,
        m.ReliableImprovement, m.ReliableDeterioration, m.ReliableRecovery, m.Summary, m.OccurredAt);
}
