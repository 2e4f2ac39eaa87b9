using Dit.Platform;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Figures;
using Dit.Scheduling.Mail;
using Dit.Scheduling.Page;
using Dit.Scheduling.Progress;
using Dit.Scheduling.Review;
using Dit.Scheduling.Therapists;
using Dit.Scheduling.Waitlist;

namespace Dit.Scheduling;

public sealed class SchedulingDatabase(IConfiguration configuration)
    : ServiceDatabase(configuration, "Scheduling", "data/scheduling.db");

public static class SchedulingService
{
    public static WebApplicationBuilder AddSchedulingService(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddServiceDatabase<SchedulingDatabase>();
        builder.Services.AddSingleton(sp => BookingRules.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSettingsCheck(sp => sp.GetRequiredService<BookingRules>());
        builder.Services.AddSingleton<CourseSearch>();
        builder.Services.AddSingleton<DiaryCache>();
        builder.Services.AddSingleton<CourseBooker>();
        builder.Services.AddSingleton<SessionMoves>();
        builder.Services.AddSingleton<CourseReassignment>();
        builder.Services.AddSingleton<CourseExtension>();
        builder.Services.AddSingleton<WaitlistSignal>();
        builder.Services.AddHostedService<WaitlistRetry>();
        builder.Services.AddHostedService<CoordinatorKeySync>();
        builder.Services.AddSingleton(sp => CoursePhases.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSettingsCheck(sp => sp.GetRequiredService<CoursePhases>());
        builder.Services.AddSingleton<CourseCompletion>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CourseCompletion>());
        // A questionnaire link carries its token in the path: redacted from every log and trace (PrivateLinkRoutes).
        builder.Services.AddPrivateLinkRoute("/questionnaire");
        builder.Services.AddApiKeyHolders<SchedulingDatabase>(ApiKeyAuthentication.Coordinator, Coordinators.Coordinators.Holders);
        builder.Services.AddPerKeyRateLimiting(builder.Configuration);
        builder.Services.AddApiDocument("scheduling", "DIT scheduling API",
            "Clinic coordinators see and change courses, sessions, therapists, closed days, the waitlist and referrals waiting for review. " +
            "Authenticate with a coordinator's key, 'Authorization: ApiKey <key>'. Errors are application/problem+json naming the field.");
        builder.Services.AddServiceMessaging<SchedulingDatabase>(typeof(SchedulingService).Assembly);
        return builder;
    }

    public static WebApplication MapSchedulingApi(this WebApplication app)
    {
        app.MapLiveness();
        app.UsePerKeyRateLimiting();
        app.MapApiDocuments();
        app.MapCoursesApi();
        app.MapAppointmentsApi();
        app.MapTherapistsApi();
        app.MapClosedDaysApi();
        app.MapWaitlistApi();
        app.MapUndeliverableMailApi();
        app.MapReviewsApi();
        app.MapProgressApi();
        app.MapQuestionnairePage();
        app.MapServiceFiguresApi();
        app.MapCoordinatorPage();
        return app;
    }
}
