namespace Dit.Scheduling.Progress;

/// <summary>A session's two totals, as the outcome definitions need them.</summary>
public sealed record ScoredSession(int Session, int Phq9, int Gad7)
{
    public bool IsCase => Phq9 >= Questionnaires.Phq9Caseness || Gad7 >= Questionnaires.Gad7Caseness;
}
