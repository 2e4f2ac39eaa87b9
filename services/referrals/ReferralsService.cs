using Dit.Platform;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Referrals.Intake;

namespace Dit.Referrals;

public sealed class ReferralsDatabase(IConfiguration configuration)
    : ServiceDatabase(configuration, "Referrals", "data/referrals.db");

public static class ReferralsService
{
    public static WebApplicationBuilder AddReferralsService(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddServiceDatabase<ReferralsDatabase>();
        builder.Services.AddSingleton(sp => IntakeRules.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSettingsCheck(sp => sp.GetRequiredService<IntakeRules>());
        builder.Services.AddSingleton<ReferralIntake>();
        builder.Services.AddSingleton<ReferralWithdrawal>();
        builder.Services.AddApiKeyHolders<ReferralsDatabase>(ApiKeyAuthentication.Referrer, Keys.Referrers.Holders);
        builder.Services.AddPerKeyRateLimiting(builder.Configuration);
        builder.Services.AddApiDocument("referrals", "DIT referrals API",
            "Referring services post referrals for a course of Dynamic Interpersonal Therapy and follow their status. " +
            "Authenticate with 'Authorization: ApiKey <key>'. Errors are application/problem+json with an 'errors' map of field to messages.");
        builder.Services.AddServiceMessaging<ReferralsDatabase>(typeof(ReferralsService).Assembly);
        return builder;
    }

    public static WebApplication MapReferralsApi(this WebApplication app)
    {
        app.MapLiveness();
        app.UsePerKeyRateLimiting();
        app.MapApiDocuments();
        app.MapReferralsEndpoints();
        return app;
    }
}
