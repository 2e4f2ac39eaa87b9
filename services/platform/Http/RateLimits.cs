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

    /// <summary>
    /// Routes whose path carries a private link's secret (the calendar feed, the questionnaire): a fixed window per
    /// client address (<c>RateLimit:PrivateLinks:PermitLimit</c> per <c>RateLimit:PrivateLinks:WindowSeconds</c>, default
    /// 60 a minute — a calendar polls hourly, a patient fills in one form), so nobody can try tokens by the thousand.
    /// </summary>
    public const string PrivateLink = "private-link";

    public static IServiceCollection AddPerKeyRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(PerKeyMarker))) return services;
        services.AddSingleton<PerKeyMarker>();
        var permits = Settings.Int(configuration, "RateLimit:PermitLimit", 120, 1, 100_000_000);
        var window = TimeSpan.FromSeconds(Settings.Int(configuration, "RateLimit:WindowSeconds", 60, 1, 86_400));
        var linkPermits = Settings.Int(configuration, "RateLimit:PrivateLinks:PermitLimit", 60, 1, 100_000_000);
        var linkWindow = TimeSpan.FromSeconds(Settings.Int(configuration, "RateLimit:PrivateLinks:WindowSeconds", 60, 1, 86_400));
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PrivateLink, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = linkPermits, Window = linkWindow, QueueLimit = 0 }));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(PerKey, http => RateLimitPartition.GetFixedWindowLimiter(
                // After authentication: a valid key's holder has its own window; callers without one (no key, or a
                // made-up one — a new one each time cannot buy a new window) share their address's.
                ApiKeyAuthentication.RateLimitPartition(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var link = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == PrivateLink;
                var (limit, per) = link ? (linkPermits, linkWindow) : (permits, window);
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : per;
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                    title: link ? "Too many requests from this address" : "Too many requests for this API key",
                    detail: $"At most {limit} requests per {per.TotalSeconds:0} seconds; try again after Retry-After seconds.")
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
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private sealed class PerKeyMarker;
}
