namespace Dit.Scheduling.Progress;

public sealed record AnswerOption(int Value, string Label);
