namespace Dit.Contracts;

public sealed record PhaseView(string Name, int From, int To);
