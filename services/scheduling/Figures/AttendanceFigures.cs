namespace Dit.Scheduling.Figures;

/// <summary>Sessions of the last 12 weeks with attendance recorded, and the share not attended.</summary>
public sealed record AttendanceFigures(int Recorded, int Dna, double? DnaPercent);
