using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dit.Platform.Http;

/// <summary>
/// Headers that keep what the services answer where it belongs (issue 20): every answer is <c>nosniff</c>; API answers,
/// which carry patient data, are never cached; the staff pages get the questionnaire page's protections — a
/// Content-Security-Policy that allows no inline script and nothing from elsewhere, no framing, no referrer.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The staff pages' policy: their own script, style and API only; no inline script, no framing.</summary>
    public const string StaffPagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Adds <c>nosniff</c> to every answer and <c>no-store</c> to every API answer; once however many services the process hosts.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (context.Request.Path.StartsWithSegments("/api")) headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>A staff page's headers (<see cref="StaffPagePolicy"/>).</summary>
    public static void ForStaffPage(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = StaffPagePolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }

    /// <summary>A page or file reached by a private link: the link's secret stays with it, nothing is cached.</summary>
    public static void ForPrivateLink(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Robots-Tag"] = "noindex";
    }
}
