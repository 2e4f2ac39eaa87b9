namespace Dit.Scheduling.Progress;

public sealed record Caseness(int Phq9, int Gad7);
