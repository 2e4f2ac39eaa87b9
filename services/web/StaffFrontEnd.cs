using Dit.Platform;
using Dit.Platform.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dit.Web;

/// <summary>
/// The staff front end's sign-in: ASP.NET Core's OpenID Connect handler (authorization code with PKCE) against the
/// provider at <c>Identity:Authority</c>, and its own cookie holding the session — HttpOnly, SameSite=Lax, Secure when
/// served over https, ended after <see cref="StaffSignInSettings.IdleMinutes"/> without a request or
/// <see cref="StaffSignInSettings.LongestSessionHours"/> after sign-in. The person's access token stays in the cookie;
/// <see cref="StaffSession"/> hands it to the APIs. No token checking of our own.
/// </summary>
public static class StaffFrontEnd
{
    public const string CookieScheme = "staff";
    public const string SignInScheme = "staff-sign-in";
    public const string AntiforgeryHeader = "X-CSRF-Token";
    private const string SessionStart = "dit:session-start";

    public static WebApplicationBuilder AddStaffFrontEnd(this WebApplicationBuilder builder)
    {
        var identity = Settings.Read<StaffTokenSettings>(builder.Configuration, StaffTokenSettings.Section);
        var signIn = Settings.Read<StaffSignInSettings>(builder.Configuration, StaffSignInSettings.Section);
        if (identity.Authority is null)
            throw new InvalidSettingException("Identity:Authority", "the sign-in provider's address (the staff pages sign people in there)", "");
        if (string.IsNullOrWhiteSpace(signIn.ClientSecret) && signIn.ClientAssertionKeyFile is null)
            throw new InvalidSettingException("Identity:SignIn:ClientSecret",
                "the staff front end's secret at the sign-in provider (or Identity:SignIn:ClientAssertionKeyFile, a key to sign with)", "");
        var services = builder.Services;
        services.TryAddSingleton(identity);
        services.TryAddSingleton(TimeProvider.System);
        // Read now, so that a missing or unreadable key stops the start with the setting's name.
        var assertion = ClientAssertion.From(signIn, TimeProvider.System);
        if (assertion is not null) services.AddSingleton(assertion);
        var browserAuthority = new Uri(signIn.BrowserAuthority ?? identity.Authority);
        services.AddSingleton(new StaffPages.ProviderOrigin(browserAuthority.GetLeftPart(UriPartial.Authority)));
        services.AddAntiforgery(options =>
        {
            options.HeaderName = AntiforgeryHeader;
            options.Cookie.Name = "dit-staff-antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication()
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "dit-staff";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(signIn.IdleMinutes);
                options.SlidingExpiration = false;
                options.Events = new CookieAuthenticationEvents
                {
                    OnSigningIn = context =>
                    {
                        context.Properties.Items[SessionStart] = context.Options.TimeProvider!.GetUtcNow().ToUnixTimeSeconds().ToString();
                        return Task.CompletedTask;
                    },
                    // Every request renews the idle time (not only after half of it, as sliding expiration does); past the
                    // longest session the cookie is refused and removed whatever the activity.
                    OnValidatePrincipal = async context =>
                    {
                        var started = context.Properties.Items.TryGetValue(SessionStart, out var text) && long.TryParse(text, out var seconds)
                            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
                        if (context.Options.TimeProvider!.GetUtcNow() - started > TimeSpan.FromHours(signIn.LongestSessionHours))
                        {
                            context.RejectPrincipal();
                            await context.HttpContext.SignOutAsync(CookieScheme);
                            return;
                        }
                        context.ShouldRenew = true;
                    },
                };
            })
            .AddOpenIdConnect(SignInScheme, options =>
            {
                options.Authority = identity.Authority;
                options.RequireHttpsMetadata = !identity.AllowHttpAuthority;
                options.ClientId = signIn.ClientId;
                options.ClientSecret = assertion is null ? signIn.ClientSecret : null;
                options.ResponseType = "code";
                options.ResponseMode = "query";
                options.UsePkce = true;
                options.SaveTokens = true;
                options.DisableTelemetry = true;   // no library version sent along to the provider
                options.Scope.Clear();
                foreach (var scope in ("openid " + signIn.Scopes).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct()) options.Scope.Add(scope);
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = identity.RoleClaim;
                options.SignInScheme = CookieScheme;
                options.SignOutScheme = CookieScheme;
                options.SignedOutRedirectUri = StaffAccount.SignedOutPath;
                // Back from the provider as a top-level GET (response_mode=query): Lax cookies come with it, on http too.
                options.CorrelationCookie.SameSite = options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Events = new OpenIdConnectEvents
                {
                    OnRedirectToIdentityProvider = context => ToBrowserAuthority(context.ProtocolMessage, signIn.BrowserAuthority),
                    OnRedirectToIdentityProviderForSignOut = context => ToBrowserAuthority(context.ProtocolMessage, signIn.BrowserAuthority),
                    // With a key: a signed JWT at the token endpoint instead of a secret (private_key_jwt).
                    OnAuthorizationCodeReceived = async context =>
                    {
                        if (assertion is null) return;
                        var provider = await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
                        context.TokenEndpointRequest!.ClientAssertionType = ClientAssertion.Type;
                        context.TokenEndpointRequest.ClientAssertion = assertion.For(
                            signIn.ClientAssertionAudience == "issuer" ? provider.Issuer : provider.TokenEndpoint);
                        context.TokenEndpointRequest.ClientSecret = null;
                    },
                    // A refused or broken sign-in (the person declined, the provider answered an error) says so on a page.
                    OnRemoteFailure = context =>
                    {
                        context.Response.Redirect(StaffAccount.UnavailablePath);
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                };
            });
        return builder;
    }

    /// <summary>The provider's endpoint as the discovery document names it, moved to where browsers reach the provider.</summary>
    private static Task ToBrowserAuthority(Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectMessage message, string? browserAuthority)
    {
        if (browserAuthority is not null)
            message.IssuerAddress = new Uri(new Uri(browserAuthority), new Uri(message.IssuerAddress).PathAndQuery).ToString();
        return Task.CompletedTask;
    }

    /// <summary>The staff pages and the sign-in and sign-out endpoints.</summary>
    public static IEndpointRouteBuilder MapStaffFrontEnd(this IEndpointRouteBuilder app) => app.MapStaffPages().MapStaffAccount();

    /// <summary>The person signed in on this request's session cookie, or null.</summary>
    internal static async Task<AuthenticateResult?> SessionAsync(HttpContext context)
    {
        var session = await context.AuthenticateAsync(CookieScheme);
        return session.Succeeded ? session : null;
    }

    /// <summary>Sends the browser to sign in and come back to <paramref name="returnUrl"/> (this site only); a page saying so when the provider cannot be reached.</summary>
    internal static async Task<IResult> SignInAsync(HttpContext context, string returnUrl)
    {
        try
        {
            await context.ChallengeAsync(SignInScheme, new AuthenticationProperties { RedirectUri = returnUrl });
            return Results.Empty;
        }
        catch (Exception error) when (error is InvalidOperationException or HttpRequestException or IOException)
        {
            // The provider's discovery document could not be read: it is down or unreachable.
            return StaffPages.File(context, "unavailable.html", StatusCodes.Status503ServiceUnavailable);
        }
    }
}
