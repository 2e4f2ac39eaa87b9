using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Platform.Http;

/// <summary>
/// A fixed window of requests per API key holder, or per client address for callers without a valid key, and one per
/// client address on the private links (<see cref="RateLimitSettings"/>); over it, 429 with Retry-After.
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

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSettings<RateLimitSettings>(RateLimitSettings.Section);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, settings) =>
        {
            var (permits, window) = (settings.Value.PermitLimit, TimeSpan.FromSeconds(settings.Value.WindowSeconds));
            var (linkPermits, linkWindow) = (settings.Value.PrivateLinks.PermitLimit, TimeSpan.FromSeconds(settings.Value.PrivateLinks.WindowSeconds));
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
}
