using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dit.Platform.Hosting;

/// <summary>
/// What every service has, set up in one place and one order whatever the process hosts (one service, or all three in
/// the development host), as eShop's ServiceDefaults does: settings checked at start, each service's database with its
/// migrations first, then the service's own parts, the bus with every hosted service's consumers, telemetry, health,
/// problem details, API-key authentication and rate limits, the OpenAPI documents and the redaction of private links
/// from logs and traces. <see cref="MapServiceDefaults"/> puts the shared front of the pipeline before every endpoint.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>
    /// Worker threads the pool keeps ready. Microsoft.Data.Sqlite does its I/O, and its waits for the write lock,
    /// synchronously on the calling thread, and so do parts of the consumers' pipeline: under load on 2 cores the pool's
    /// default (one thread a core, more added slowly) left requests queued behind blocked threads — the development
    /// host's intake p99 was 1.6 s at 200 referrals a second, 28 ms with 64 threads ready (docs/benchmarks.md).
    /// </summary>
    public const int MinWorkerThreads = 64;

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string processName, params ServiceDefinition[] hosted)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinWorkerThreads) ThreadPool.SetMinThreads(MinWorkerThreads, completionPorts);
        var services = builder.Services;
        services.AddSingleton(new HostedServices(hosted));
        services.TryAddSingleton(NodaTime.SystemClock.Instance as NodaTime.IClock);
        services.AddProblemDetails();
        services.AddSettings<RetentionSettings>(RetentionSettings.Section);
        services.AddSettings<Audit.AuditSettings>(Audit.AuditSettings.Section);
        services.AddPrivateLinkRoutes(hosted.SelectMany(s => s.PrivateLinks));
        services.AddApiKeyAuthentication(builder.Configuration);
        services.AddRateLimits();
        // Migrations run (hosted services start in the order added) before any service's own background work.
        foreach (var service in hosted) service.AddDatabase(services);
        foreach (var service in hosted)
        {
            services.AddApiDocument(service.Name, service.Title, service.Description);
            service.AddParts(builder);
        }
        services.AddDitBus(builder.Configuration, hosted.Select(s => s.Assembly).ToList());
        builder.AddServiceTelemetry(processName);
        return builder;
    }

    /// <summary>
    /// Health, then the shared front of the pipeline — security headers; any error answered without a body (a 415 or 405
    /// from routing, say) made problem+json; authentication, the rate limiter (which counts refused callers too),
    /// authorization — the OpenAPI documents, and every hosted service's endpoints.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapLiveness();
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        foreach (var service in app.Services.GetRequiredService<HostedServices>().All)
        {
            service.MapEndpoints(app);
            service.MapAuditTrail(app);
        }
        return app;
    }

    /// <summary>The services this process hosts, in the order given.</summary>
    private sealed record HostedServices(IReadOnlyList<ServiceDefinition> All);
}
