namespace Dit.Notifications;

public sealed class NotificationsDatabase(IConfiguration configuration)
    : ServiceDatabase(configuration, "Notifications", "data/notifications.db");
