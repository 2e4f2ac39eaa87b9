namespace Dit.Scheduling.Figures;

/// <summary>
/// Ended courses (completed or ended early), those with an outcome (two scored sessions or more), those a case at the
/// start; recovery and reliable recovery among cases, reliable improvement and deterioration among all with an outcome.
/// </summary>
public sealed record OutcomeFigures(int Ended, int WithOutcome, int CasesAtStart, double? RecoveryPercent, double? ReliableImprovementPercent,
    double? ReliableRecoveryPercent, double? ReliableDeteriorationPercent);
