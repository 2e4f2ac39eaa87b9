namespace Dit.Scheduling.Progress;

/// <summary>A session's answers item by item, in the items' published order: PHQ-9 (9), GAD-7 (7), WSAS (5; sessions 1, 8 and the last).</summary>
public sealed record ScoresRequest(int?[]? Phq9, int?[]? Gad7, int?[]? Wsas)
{
    public IReadOnlyDictionary<string, IReadOnlyList<int?>?> ToAnswers() =>
        new Dictionary<string, IReadOnlyList<int?>?> { ["phq9"] = Phq9, ["gad7"] = Gad7, ["wsas"] = Wsas };
}
