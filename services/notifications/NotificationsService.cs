using Dit.Notifications.Feed;
using Dit.Notifications.Invites;
using Dit.Notifications.Messages;
using Dit.Notifications.Mail;
using Dit.Notifications.Reminders;
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
        builder.Services.AddSingleton(sp => ClinicDetails.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(sp => MailOptions.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddHostedService<MailDispatcher>();
        builder.Services.AddSingleton<SeriesUpdates>();
        builder.Services.AddSingleton<CourseInvitations>();
        builder.Services.AddSingleton(sp => ReminderOptions.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<IReminderChannel, EmailReminders>();
        builder.Services.AddSingleton<IReminderChannel, SmsReminders>();
        builder.Services.AddHostedService<ReminderDispatcher>();
        builder.Services.AddPerKeyRateLimiting(builder.Configuration);
        builder.Services.AddServiceMessaging<NotificationsDatabase>(typeof(NotificationsService).Assembly);
        return builder;
    }

    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        app.MapLiveness();
        app.UsePerKeyRateLimiting();
        app.MapCalendarFeed();
        app.MapMessageLogApi();
        return app;
    }
}
