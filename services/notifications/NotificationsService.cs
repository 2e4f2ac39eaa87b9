using Dit.Notifications.Contacts;
using Dit.Notifications.Feed;
using Dit.Notifications.Texts;
using Dit.Notifications.Invites;
using Dit.Notifications.Mail;
using Dit.Notifications.Messages;
using Dit.Notifications.Reminders;
using Dit.Platform.Hosting;

namespace Dit.Notifications;

/// <summary>The notifications service: what it adds to the service defaults (<see cref="ServiceDefaults"/>).</summary>
public static class NotificationsService
{
    public static ServiceDefinition Definition { get; } = new ServiceDefinition<NotificationsDatabase>(
        "notifications", "DIT notifications API",
        "The patient's private calendar feed (no key: the token in the invite is the key), and for coordinators the messages sent " +
        "for a referral and revoking a feed, with a coordinator's key, 'Authorization: ApiKey <key>'.",
        ApiKeyAuthentication.Coordinator, NotificationsCoordinators.Holders, AddParts, MapEndpoints)
    {
        // The calendar feed's link carries its token in the path: redacted from every log and trace (PrivateLinkRoutes).
        PrivateLinks = ["/calendar", "/stop"],
    };

    private static void AddParts(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<ClinicDetails>(ClinicDetails.Section);
        services.AddSettings<MailOptions>(MailOptions.Section)
            .PostConfigure<IHostEnvironment>((mail, environment) => mail.PickupFolder = Path.GetFullPath(mail.PickupFolder, environment.ContentRootPath));
        services.AddSettings<ReminderOptions>(ReminderOptions.Section);
        services.AddSettings<PatientLinks>(PatientLinks.Section);
        services.AddSingleton<MailSender>();
        services.AddHostedService<MailDispatcher>();
        services.AddSingleton<SeriesUpdates>();
        services.AddSingleton<CourseInvitations>();
        services.AddSettings<NotifySettings>(NotifySettings.Section);
        services.AddSingleton<TextSender>();
        services.AddHostedService<TextDispatcher>();
        services.AddSingleton<IReminderChannel, EmailReminders>();
        services.AddSingleton<IReminderChannel, SmsReminders>();
        services.AddHostedService<ReminderDispatcher>();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapCalendarFeed();
        app.MapMessageLogApi();
        app.MapStopMessagesPage();
        app.MapDeliveryReceipts();
    }
}
