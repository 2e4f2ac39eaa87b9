namespace Dit.Scheduling.Booking;

/// <summary>Another booking took the time or the therapist's weekly capacity first: search again.</summary>
public sealed class LostRaceException(string message) : TransientFaultException(message);
