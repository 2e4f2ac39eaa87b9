using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Dit.Web;

/// <summary>
/// Turns a page's request to <c>/api</c> into the signed-in person's own: the session cookie is read here, a change must
/// carry the page's antiforgery token, and the request goes on with the person's access token as its bearer and no
/// cookies, so that the services see a token and never a cookie. A request that brings its own Authorization (a
/// referrer's key, a script's token) passes untouched. Runs before the services' authentication in one process
/// (the development host) and before the proxy to them in the front end's own.
/// </summary>
public static class StaffSession
{
    public static IApplicationBuilder UseStaffSession(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api") || context.Request.Headers.Authorization.Count > 0)
        {
            await next(context);
            return;
        }
        var session = await StaffFrontEnd.SessionAsync(context);
        if (session is not null)
        {
            if (!IsSafe(context.Request.Method))
            {
                context.User = session.Principal!;
                if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
                {
                    await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "This change did not come from the page",
                        detail: $"A change made with the session needs the page's antiforgery token in the {StaffFrontEnd.AntiforgeryHeader} header.")
                        .ExecuteAsync(context);
                    return;
                }
            }
            var token = session.Properties!.GetTokenValue("access_token");
            if (token is null || Expired(session.Properties!, context.RequestServices.GetRequiredService<TimeProvider>()))
            {
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in again",
                    detail: "The session's access to the services has run out.").ExecuteAsync(context);
                return;
            }
            context.Request.Headers.Authorization = $"Bearer {token}";
        }
        context.Request.Headers.Remove("Cookie");
        await next(context);
    });

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool Expired(AuthenticationProperties properties, TimeProvider time) =>
        DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires)
        && expires <= time.GetUtcNow().AddSeconds(10);
}
