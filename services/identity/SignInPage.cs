using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dit.Identity;

/// <summary>The development provider's sign-in form: user name and password, antiforgery-protected, with a lockout after repeated failures.</summary>
public static class SignInPage
{
    public static void MapSignInPage(this WebApplication app)
    {
        app.MapGet(DevelopmentProvider.SignInPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            Page(context, antiforgery, SafeReturn(returnUrl), null)).ExcludeFromDescription();
        app.MapPost(DevelopmentProvider.SignInPath, SignInAsync).ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, IOptions<ProviderSettings> settings, Lockout lockout)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest("The form was not sent from this page: open it again.");
        var form = await context.Request.ReadFormAsync();
        var returnUrl = SafeReturn(form["returnUrl"]);
        var userName = form["username"].ToString().Trim();
        if (lockout.LockedUntil(userName) is { } until)
            return Page(context, antiforgery, returnUrl, $"Too many failed sign-ins for this name: try again after {until:HH:mm} UTC.", 429);
        var user = settings.Value.AllUsers.FirstOrDefault(u => string.Equals(u.UserName, userName, StringComparison.OrdinalIgnoreCase));
        if (user is null || !DevelopmentProvider.SameSecret(user.Password, form["password"].ToString()))
        {
            lockout.Failed(userName, settings.Value);
            return Page(context, antiforgery, returnUrl, "That user name and password do not match.", 401);
        }
        lockout.Succeeded(userName);
        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Id), new Claim(Claims.Name, user.Name)], DevelopmentProvider.CookieScheme);
        await context.SignInAsync(DevelopmentProvider.CookieScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(returnUrl);
    }

    /// <summary>Only back into this provider's authorization endpoint: never an open redirect.</summary>
    private static string SafeReturn(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/connect/authorize";

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        // The form's redirects end at a client's registered address, which the browser checks against form-action too.
        var clients = context.RequestServices.GetRequiredService<IOptions<ProviderSettings>>().Value.Clients
            .SelectMany(c => c.RedirectUris).Select(u => new Uri(u).GetLeftPart(UriPartial.Authority)).Distinct();
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'unsafe-inline'; form-action 'self' {string.Join(' ', clients)}; frame-ancestors 'none'";
        static string e(string value) => WebUtility.HtmlEncode(value);
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in – DIT scheduling (development provider)</title>
            <style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#212b32}
            label{display:block;margin-top:1rem;font-weight:600}input{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;border:2px solid #4c6272}
            button{font:inherit;margin-top:1.5rem;padding:.7rem 1.4rem;min-height:44px;background:#007f3b;color:#fff;border:0;border-radius:4px}
            [role=alert]{border-left:6px solid #d5281b;padding:.5rem 1rem;background:#fff4f4}</style></head>
            <body><main><h1>Sign in</h1>
            <p>The development provider of DIT scheduling. A trust signs staff in with NHS CIS2 or Microsoft Entra ID instead.</p>
            {{(error is null ? "" : $"<p role=\"alert\">{e(error)}</p>")}}
            <form method="post" action="{{DevelopmentProvider.SignInPath}}">
            <input type="hidden" name="{{e(tokens.FormFieldName)}}" value="{{e(tokens.RequestToken!)}}">
            <input type="hidden" name="returnUrl" value="{{e(returnUrl)}}">
            <label for="username">User name</label><input id="username" name="username" autocomplete="username" required>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button></form></main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
