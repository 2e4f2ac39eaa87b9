using Dit.Platform.Http;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Dit.Web;

/// <summary>
/// Signing in and out: <c>/account/sign-in</c> starts sign-in at the provider, <c>/account/session</c> tells a page who is
/// signed in (name, roles) with its antiforgery token, <c>/account/sign-out</c> (a form post with that token) ends the
/// session here and at the provider.
/// </summary>
public static class StaffAccount
{
    public const string SignedOutPath = "/account/signed-out";
    public const string UnavailablePath = "/account/unavailable";
    private const string Home = "/coordinator/";

    public sealed record SessionView(string Name, IReadOnlyList<string> Roles, string AntiforgeryToken, string AntiforgeryHeader);

    public static IEndpointRouteBuilder MapStaffAccount(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/sign-in", (HttpContext context, string? returnUrl) =>
            StaffFrontEnd.SignInAsync(context, returnUrl is not null && IsLocal(returnUrl) ? returnUrl : Home));
        account.MapGet("/session", async (HttpContext context, IAntiforgery antiforgery, StaffTokenSettings identity) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if (await StaffFrontEnd.SessionAsync(context) is not { } session)
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
            context.User = session.Principal!;
            var tokens = antiforgery.GetAndStoreTokens(context);
            var roles = StaffTokens.RolesOf(session.Principal!, identity).ToList();
            return Results.Ok(new SessionView(session.Principal!.Identity!.Name ?? "", roles, tokens.RequestToken!, StaffFrontEnd.AntiforgeryHeader));
        });
        account.MapPost("/sign-out", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (await StaffFrontEnd.SessionAsync(context) is not { } session) return Results.Redirect(SignedOutPath);
            context.User = session.Principal!;
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "This sign-out did not come from the page");
            // Ends the cookie here, then sends the browser to the provider's end-session endpoint, which comes back to SignedOutPath.
            return Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath }, [StaffFrontEnd.CookieScheme, StaffFrontEnd.SignInScheme]);
        }).DisableAntiforgery();
        // The public half of the front end's assertion key, for the provider (registered there as this client's JWKS).
        account.MapGet("/jwks", (IServiceProvider services) => services.GetService<ClientAssertion>() is { } assertion
            ? Results.Text(assertion.Jwks, "application/json")
            : Results.NotFound());
        account.MapGet("/signed-out", (HttpContext context) => StaffPages.File(context, "signed-out.html"));
        account.MapGet("/unavailable", (HttpContext context) => StaffPages.File(context, "unavailable.html", StatusCodes.Status503ServiceUnavailable));
        return app;
    }

    private static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");
}
