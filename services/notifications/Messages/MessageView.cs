namespace Dit.Notifications.Messages;

public sealed record MessageView(string Kind, string Channel, string To, DateTimeOffset At, string Outcome);

/// <summary>One reminder of a session: its channel (email, sms), when it is due, its status (pending, sending, sent,
/// undeliverable, dropped) and, for a text, Notify's delivery receipt (delivered, permanent-failure, temporary-failure,
/// technical-failure) once it came.</summary>
public sealed record ReminderView(int SessionNumber, string Channel, DateTimeOffset Due, string Status, string? Delivery);
