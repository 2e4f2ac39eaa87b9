namespace Dit.Scheduling.Progress;

public sealed record SessionProgress(int Number, string Phase, string LocalStart, string Status, string? Attendance,
    IReadOnlyList<string> Measures, SessionScoresView? Scores);
