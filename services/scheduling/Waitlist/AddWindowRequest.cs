namespace Dit.Scheduling.Waitlist;

/// <summary>A weekly window the patient agreed to (their zone): the day (Monday…Sunday), from and to (HH:mm), and why it was added.</summary>
public sealed record AddWindowRequest(string? Day, string? From, string? To, string? Reason);

/// <summary>What adding the window did: booked (the course and its first session, patient's time), or still waiting and why.</summary>
public sealed record WindowAdded(bool Booked, Guid? CourseId, string? FirstSession, string? StillWaiting);
