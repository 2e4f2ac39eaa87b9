using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dit.Platform.Http;

/// <summary>
/// <c>Authorization: ApiKey &lt;key&gt;</c> as ASP.NET Core authentication: the key's hash is looked up in the tables of
/// key holders the services in this process registered (<see cref="AddApiKeyHolders{TDatabase}"/>), each holder giving
/// its role — <see cref="Referrer"/> or <see cref="Coordinator"/>; with the staff roles (<see cref="StaffTokens"/>) these are the
/// authorization policies endpoints require. Unknown and revoked keys fail authentication (401); a known key without the role is forbidden (403).
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string Referrer = "referrer";
    public const string Coordinator = "coordinator";

    /// <summary>The policy any member of staff meets, whatever their role.</summary>
    public const string AnyStaff = "staff";

    /// <summary>Keys in <paramref name="holders"/>' table of <typeparamref name="TDatabase"/> authenticate callers in <paramref name="role"/>.</summary>
    public static IServiceCollection AddApiKeyHolders<TDatabase>(this IServiceCollection services, string role, KeyHolders holders)
        where TDatabase : Data.ServiceDatabase =>
        services.AddSingleton(new KeyRole(role, (provider, hash) => holders.FindByKeyHashAsync(provider.GetRequiredService<TDatabase>(), hash,
            provider.GetRequiredService<NodaTime.IClock>().GetCurrentInstant())));

    /// <summary>
    /// The <c>ApiKey</c> scheme, and a policy for each role. With <c>Identity:Authority</c> set, a request that carries
    /// <c>Authorization: Bearer …</c> is authenticated by the provider's token instead (<see cref="StaffTokens"/>).
    /// </summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var authentication = services.AddAuthentication(CallerScheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        var tokens = authentication.AddStaffTokens(configuration);
        authentication.AddPolicyScheme(CallerScheme, "API key or bearer token", options => options.ForwardDefaultSelector = context =>
            tokens && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? StaffTokens.Scheme : Scheme);
        var policies = services.AddAuthorizationBuilder().AddPolicy(Referrer, policy => policy.RequireRole(Referrer));
        foreach (var role in StaffTokens.StaffRoles) policies.AddPolicy(role, policy => policy.RequireRole(role));
        policies.AddPolicy(AnyStaff, policy => policy.RequireRole(StaffTokens.StaffRoles));
        return services;
    }

    /// <summary>The default scheme: forwards to the API key or, for <c>Bearer</c>, to the staff token scheme.</summary>
    private const string CallerScheme = "caller";

    /// <summary>The id of the caller's key holder in <paramref name="role"/> (the endpoint's policy made sure there is one).</summary>
    public static string Caller(this HttpContext context, string role) =>
        context.User.FindFirstValue(CallerClaimType(role)) ?? throw new InvalidOperationException($"No {role} on this request.");

    /// <summary>The caller in <paramref name="role"/> as the one who makes a change (<see cref="Dit.Contracts.Actor"/>).</summary>
    public static Dit.Contracts.Actor Actor(this HttpContext context, string role) => new(role, context.Caller(role));

    /// <summary>Who the rate limit counts a request against: the key's holder once authenticated, else the client's address.</summary>
    public static string RateLimitPartition(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } holder ? $"key:{holder}" : $"ip:{context.Connection.RemoteIpAddress}";

    /// <summary>The claim that names the caller's id in <paramref name="role"/> (set for a key holder and for a signed-in person alike).</summary>
    public static string CallerClaimType(string role) => $"dit:{role}";

    public sealed record KeyRole(string Role, Func<IServiceProvider, string, Task<KeyHolders.Match?>> FindHolder);

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        IEnumerable<KeyRole> roles) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (ApiKeys.FromHeader(Request) is not { } key) return AuthenticateResult.NoResult();
            var hash = ApiKeys.Hash(key);
            var claims = new List<Claim>();
            var matches = new List<(KeyRole Role, KeyHolders.Match Holder)>();
            foreach (var role in roles)
                if (await role.FindHolder(Context.RequestServices, hash) is { } found) matches.Add((role, found));
            // Revoked or expired in any table this process reads — the owner's, or a copy another service learned — is
            // refused: in one process a copy that has not yet learned the revocation must not keep the key alive.
            if (matches.Any(m => !m.Holder.Live)) return AuthenticateResult.Fail("Unknown or revoked API key.");
            foreach (var (role, holder) in matches)
            {
                if (holder.Person is { } person)
                {
                    // A personal key: the person, with the roles they held when they made it, as their token would make them.
                    return AuthenticateResult.Success(new AuthenticationTicket(
                        StaffTokens.Person(person.Id, person.Name, person.Roles, ApiKeyAuthentication.Scheme), ApiKeyAuthentication.Scheme));
                }
                if (claims.Count == 0) claims.Add(new Claim(ClaimTypes.NameIdentifier, holder.Id));
                claims.Add(new Claim(ClaimTypes.Role, role.Role));
                claims.Add(new Claim(CallerClaimType(role.Role), holder.Id));
            }
            return claims.Count == 0
                ? AuthenticateResult.Fail("Unknown or revoked API key.")
                : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthentication.Scheme)), ApiKeyAuthentication.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.Headers.WWWAuthenticate = ApiKeyAuthentication.Scheme;
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                title: "A valid API key is required", detail: "Send 'Authorization: ApiKey <key>'.").ExecuteAsync(Context);
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "This API key may not do this", detail: "The key is valid, but not for this endpoint.").ExecuteAsync(Context);
    }
}
