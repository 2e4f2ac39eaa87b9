namespace Dit.Scheduling.Progress;

/// <summary>One published measure: its items in the published wording and the answers each item takes.</summary>
public sealed record Questionnaire(string Id, string Title, string Question, IReadOnlyList<string> Items, IReadOnlyList<AnswerOption> Options)
{
    public int Max => Options.Max(o => o.Value) * Items.Count;
}
