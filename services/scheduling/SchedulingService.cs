using Dit.Platform.Hosting;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Figures;
using Dit.Scheduling.Mail;
using Dit.Scheduling.Progress;
using Dit.Scheduling.Review;
using Dit.Scheduling.Therapists;
using Dit.Scheduling.Waitlist;

namespace Dit.Scheduling;

/// <summary>The scheduling service: what it adds to the service defaults (<see cref="ServiceDefaults"/>).</summary>
public static class SchedulingService
{
    public static ServiceDefinition Definition { get; } = new ServiceDefinition<SchedulingDatabase>(
        "scheduling", "DIT scheduling API",
        "Clinic coordinators see and change courses, sessions, therapists, closed days, the waitlist and referrals waiting for review. " +
        "Authenticate with a coordinator's key, 'Authorization: ApiKey <key>'. Errors are application/problem+json naming the field.",
        ApiKeyAuthentication.Coordinator, Coordinators.CoordinatorRoster.Holders, AddParts, MapEndpoints)
    {
        // A questionnaire link carries its token in the path: redacted from every log and trace (PrivateLinkRoutes).
        PrivateLinks = ["/questionnaire"],
    };

    private static void AddParts(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<BookingSettings>(BookingSettings.Section);
        services.AddSettings<VideoRooms>(VideoRooms.Section);
        services.AddSettings<ProgressSettings>(ProgressSettings.Section);
        services.AddSettings<WaitlistSettings>(WaitlistSettings.Section);
        services.AddSettings<CoordinatorSettings>(CoordinatorSettings.Section);
        services.AddSingleton(sp => sp.GetRequiredService<BookingSettings>().ToRules(sp.GetRequiredService<ProgressSettings>().CoursePhases));
        services.AddSingleton(sp => sp.GetRequiredService<BookingRules>().Course.Phases);
        services.AddSingleton<CourseSearch>();
        services.AddSingleton<Waitlist.NearestWindows>();
        services.AddSingleton<Waitlist.CourseBringForward>();
        services.AddSingleton<DiaryCache>();
        services.AddSingleton<ScarcityCache>();
        services.AddSingleton<CourseBooker>();
        services.AddSingleton<SessionMoves>();
        services.AddSingleton<CourseReassignment>();
        services.AddSingleton<CourseExtension>();
        services.AddSingleton<WaitlistSignal>();
        services.AddHostedService<WaitlistRetry>();
        services.AddHostedService<StaffSync>();
        services.AddSingleton<CourseCompletion>();
        services.AddHostedService(sp => sp.GetRequiredService<CourseCompletion>());
        if (Platform.Settings.Read<DemoClinic.Settings>(builder.Configuration, DemoClinic.Settings.Section).DemoClinic)
            services.AddHostedService<DemoClinic>();
    }

    private static void MapEndpoints(WebApplication app)
    {
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
        app.MapPersonalKeysApi();
    }
}
