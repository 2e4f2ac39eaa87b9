using Dit.Notifications.Feed;
using Dit.Notifications.Invites;
using Dit.Notifications.Messages;
using Dit.Notifications.Mail;
using Dit.Notifications.Reminders;
using Dit.Platform;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;

namespace Dit.Notifications;

public sealed class NotificationsDatabase(IConfiguration configuration)
    : ServiceDatabase(configuration, "Notifications", "data/notifications.db");

public static class NotificationsService
{
    public static WebApplicationBuilder AddNotificationsService(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddServiceDatabase<NotificationsDatabase>();
        // The calendar feed's link carries its token in the path: redacted from every log and trace (PrivateLinkRoutes).
        builder.Services.AddPrivateLinkRoute("/calendar");
        builder.Services.AddSingleton(sp => ClinicDetails.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(sp => MailOptions.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddHostedService<MailDispatcher>();
        builder.Services.AddSingleton<SeriesUpdates>();
        builder.Services.AddSingleton<CourseInvitations>();
        builder.Services.AddSingleton(sp => ReminderOptions.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSettingsCheck(sp =>
        {
            sp.GetRequiredService<ClinicDetails>();
            sp.GetRequiredService<MailOptions>();
            sp.GetRequiredService<ReminderOptions>();
            CalendarFeed.PublicBaseUrl(sp.GetRequiredService<IConfiguration>());
        });
        builder.Services.AddSingleton<IReminderChannel, EmailReminders>();
        builder.Services.AddSingleton<IReminderChannel, SmsReminders>();
        builder.Services.AddHostedService<ReminderDispatcher>();
        builder.Services.AddApiKeyHolders<NotificationsDatabase>(ApiKeyAuthentication.Coordinator, NotificationsCoordinators.Holders);
        builder.Services.AddPerKeyRateLimiting(builder.Configuration);
        builder.Services.AddApiDocument("notifications", "DIT notifications API",
            "The patient's private calendar feed (no key: the token in the invite is the key), and for coordinators the messages sent " +
            "for a referral and revoking a feed, with a coordinator's key, 'Authorization: ApiKey <key>'.");
        builder.Services.AddServiceMessaging<NotificationsDatabase>(typeof(NotificationsService).Assembly);
        return builder;
    }

    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        app.MapLiveness();
        app.UsePerKeyRateLimiting();
        app.MapApiDocuments();
        app.MapCalendarFeed();
        app.MapMessageLogApi();
        return app;
    }
}
