using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Platform.Http;

/// <summary>
/// A fixed window of requests per API key holder, or per client address for callers without a valid key
/// (configuration <c>RateLimit:PermitLimit</c> per <c>RateLimit:WindowSeconds</c>, default 120 a minute); over it,
/// 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string PerKey = "per-api-key";

    public static IServiceCollection AddPerKeyRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(PerKeyMarker))) return services;
        services.AddSingleton<PerKeyMarker>();
        var permits = Settings.Int(configuration, "RateLimit:PermitLimit", 120, 1, 100_000_000);
        var window = TimeSpan.FromSeconds(Settings.Int(configuration, "RateLimit:WindowSeconds", 60, 1, 86_400));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(PerKey, http => RateLimitPartition.GetFixedWindowLimiter(
                // After authentication: a valid key's holder has its own window; callers without one (no key, or a
                // made-up one — a new one each time cannot buy a new window) share their address's.
                ApiKeyAuthentication.RateLimitPartition(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests for this API key",
                    detail: $"At most {permits} requests per {window.TotalSeconds:0} seconds; try again after Retry-After seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>
    /// The shared front of every service's pipeline, added once however many services the process
    /// hosts: any error answered without a body (a 415 or 405 from routing, say) becomes
    /// problem+json; then authentication, the rate limiter (which counts refused callers too), and authorization.
    /// </summary>
    public static WebApplication UsePerKeyRateLimiting(this WebApplication app)
    {
        if (!((IApplicationBuilder)app).Properties.TryAdd("dit:pipeline", true)) return app;
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private sealed class PerKeyMarker;
}
