namespace Dit.Notifications.Messages;

public sealed record MessageView(string Kind, string Channel, string To, DateTimeOffset At, string Outcome);
