using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dit.Platform.Http;

/// <summary>
/// Headers that keep what the services answer where it belongs (issue 20): every answer is <c>nosniff</c>; API answers,
/// which carry patient data, are never cached; what a private link reaches is never cached or referred (the staff
/// pages' own policy: Dit.Web's StaffPages).
/// </summary>
public static class SecurityHeaders
{
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

    /// <summary>A page or file reached by a private link: the link's secret stays with it, nothing is cached.</summary>
    public static void ForPrivateLink(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Robots-Tag"] = "noindex";
    }
}
