namespace Dit.Scheduling.Figures;

/// <summary>Sessions booked in the next 4 weeks against the therapist's weekly cap × 4.</summary>
public sealed record TherapistUtilisation(string Therapist, int Booked, int Capacity, double Percent);
