using Dit.Platform.Hosting;
using Dit.Referrals.Intake;

namespace Dit.Referrals;

/// <summary>The referrals service: what it adds to the service defaults (<see cref="ServiceDefaults"/>).</summary>
public static class ReferralsService
{
    public static ServiceDefinition Definition { get; } = new ServiceDefinition<ReferralsDatabase>(
        "referrals", "DIT referrals API",
        "Referring services post referrals for a course of Dynamic Interpersonal Therapy and follow their status. " +
        "Authenticate with 'Authorization: ApiKey <key>'. Errors are application/problem+json with an 'errors' map of field to messages.",
        ApiKeyAuthentication.Referrer, Keys.Referrers.Holders,
        builder =>
        {
            builder.Services.AddSettings<IntakeRules>(IntakeRules.Section);
            builder.Services.AddSingleton<ReferralIntake>();
            builder.Services.AddSingleton<ReferralWithdrawal>();
            builder.Services.AddSettings<Fhir.BarsSettings>(Fhir.BarsSettings.Section);
            builder.Services.AddHttpClient(Fhir.BarsNewsSender.Client, client => client.Timeout = TimeSpan.FromSeconds(10));
            builder.Services.AddHostedService<Fhir.BarsNewsSender>();
            builder.Services.AddHostedService<Fhir.BarsValidator.Warmup>();
            builder.Services.AddHealthChecks().AddCheck<Fhir.BarsValidator.ReadyCheck>("fhir-validator", tags: ["ready"]);
        },
        app =>
        {
            app.MapReferralsEndpoints();
            Fhir.FhirApi.MapFhirEndpoints(app);
            Keys.ReferrerKeysApi.MapReferrerKeysApi(app);
            Therapists.OwnPatientsApi.MapOwnPatientsApi(app);
        });
}
