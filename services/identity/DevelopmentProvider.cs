using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dit.Identity;

/// <summary>
/// The development host's and the Compose stack's own OpenID Connect provider: OpenIddict's server, authorization code
/// with PKCE only, for the clients and users in <see cref="ProviderSettings"/>. It keeps nothing in a database (OpenIddict's
/// degraded mode): clients and users come from settings, codes and tokens are self-contained and signed with keys made
/// at start. So a restart signs everyone out, and a code is not detected if replayed within its 5-minute life — fine for
/// development; a trust connects NHS CIS2 or Microsoft Entra ID instead (docs/security.md).
/// </summary>
public static class DevelopmentProvider
{
    public const string CookieScheme = "dit-provider";
    public const string SignInPath = "/connect/sign-in";

    public static WebApplicationBuilder AddDevelopmentProvider(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // OpenIddict logs each request's parameters at Information, with tokens and secrets redacted but not the PKCE
        // code_verifier: nothing of a sign-in reaches a log.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        services.Configure<ProviderSettings>(builder.Configuration.GetSection(ProviderSettings.Section));
        services.AddSingleton<Lockout>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddAntiforgery();
        services.AddAuthentication().AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = "dit-provider";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/connect";
            options.LoginPath = SignInPath;
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = false;
        });
        services.AddOpenIddict().AddServer(options =>
        {
            var settings = builder.Configuration.GetSection(ProviderSettings.Section).Get<ProviderSettings>() ?? new();
            if (settings.Issuer is { } issuer) options.SetIssuer(new Uri(issuer));
            options.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/end-session");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            options.DisableAccessTokenEncryption();   // the services validate the access token's signature themselves
            options.SetAccessTokenLifetime(TimeSpan.FromMinutes(30));
            options.EnableDegradedMode();
            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .DisableTransportSecurityRequirement();   // plain http on localhost in development
            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var client = FindClient(context.Transaction, context.ClientId);
                if (client is null) context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (!client.RedirectUris.Contains(context.RedirectUri ?? "", StringComparer.Ordinal))
                    context.Reject(Errors.InvalidRequest, "That redirect_uri is not registered for this client.");
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var client = FindClient(context.Transaction, context.ClientId);
                if (client is null)
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (client.JwksUri is not null) return default;   // it signs its requests instead (ClientAssertions)
                else if (!SameSecret(client.ClientSecret, context.ClientSecret))
                    context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
                return default;
            }));
            ClientAssertions.AddKeyResolution(options);
            ClientAssertions.AddAssertionRequirement(options);
            options.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } uri && !Settings(context.Transaction).Clients.Any(c => c.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal)))
                    context.Reject(Errors.InvalidRequest, "That post_logout_redirect_uri is not registered.");
                return default;
            }));
        });
        return builder;
    }

    /// <summary>The provider as a process of its own (the Compose stack, the end-to-end tests).</summary>
    public static WebApplication BuildProcess(WebApplicationBuilder builder)
    {
        builder.AddDevelopmentProvider();
        var app = builder.Build();
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.UseAuthentication();
        app.MapDevelopmentProvider();
        return app;
    }

    public static WebApplication MapDevelopmentProvider(this WebApplication app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync).ExcludeFromDescription();
        app.MapMethods("/connect/end-session", ["GET", "POST"], (Delegate)EndSessionAsync).ExcludeFromDescription();
        app.MapSignInPage();
        return app;
    }

    /// <summary>Signed in here already: a code for the client, with the person's id, name and roles. Otherwise to the sign-in page.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, IOptions<ProviderSettings> settings)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(CookieScheme);
        var user = session.Succeeded ? settings.Value.AllUsers.FirstOrDefault(u => u.Id == session.Principal!.FindFirstValue(Claims.Subject)) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString },
                [CookieScheme]);

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id).SetClaim(Claims.Name, user.Name).SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(Claims.Role, [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetResources("dit");   // the audience the services expect (Identity:Audience)
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.Role or Claims.PreferredUsername
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Ends the session here, then sends the person back to where the client asked (if registered).</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    internal static ProviderSettings Settings(OpenIddictServerTransaction transaction) =>
        transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOptions<ProviderSettings>>().Value;

    internal static ProviderClient? FindClient(OpenIddictServerTransaction transaction, string? clientId) =>
        Settings(transaction).Clients.FirstOrDefault(c => c.ClientId == clientId);

    /// <summary>A client secret or a password compared in constant time.</summary>
    internal static bool SameSecret(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
