using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Platform.Http;

/// <summary>
/// A person's access token from the provider set in <c>Identity</c> (<see cref="StaffTokenSettings"/>), checked by ASP.NET
/// Core's JwtBearer handler against the provider's published keys, issuer, audience and lifetime — no token checking of
/// our own. A valid token becomes the same caller an API key makes: the person's id (<c>sub</c>) and name, and each of
/// their roles that the services know (<see cref="StaffRoles"/>, through <c>Identity:Roles</c> where the provider names
/// them otherwise), so that the role policies, <c>Caller</c> and the audit trail treat both alike.
/// </summary>
public static class StaffTokens
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
    public const string Therapist = "therapist";
    public const string ClinicalLead = "clinical-lead";
    public const string Administrator = "administrator";
    public static readonly IReadOnlyList<string> StaffRoles = [Therapist, ApiKeyAuthentication.Coordinator, ClinicalLead, Administrator];

    /// <summary>Adds the bearer scheme when <c>Identity:Authority</c> is set; returns whether it did.</summary>
    public static bool AddStaffTokens(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var settings = Settings.Read<StaffTokenSettings>(configuration, StaffTokenSettings.Section);
        if (settings.Authority is null) return false;
        authentication.AddJwtBearer(Scheme, options =>
        {
            options.Authority = settings.Authority;
            options.Audience = settings.Audience;
            options.RequireHttpsMetadata = !settings.AllowHttpAuthority;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = "name";
            options.Events = new JwtBearerEvents { OnTokenValidated = context => { context.Principal = AsCaller(context.Principal!, settings); return Task.CompletedTask; } };
        });
        return true;
    }

    private static ClaimsPrincipal AsCaller(ClaimsPrincipal token, StaffTokenSettings settings)
    {
        var id = token.FindFirstValue("sub") ?? throw new InvalidOperationException("A token without a subject.");
        return Person(id, token.FindFirstValue("name"), RolesOf(token, settings), Scheme);
    }

    /// <summary>The staff roles a provider's token (or ID token) carries, in our names (<c>Identity:RoleClaim</c>, <c>Identity:Roles</c>).</summary>
    public static IEnumerable<string> RolesOf(ClaimsPrincipal token, StaffTokenSettings settings) =>
        token.FindAll(settings.RoleClaim).Select(c => settings.Roles.GetValueOrDefault(c.Value, c.Value)).Where(StaffRoles.Contains).Distinct();

    /// <summary>A person as a caller: their id and name, and each of <paramref name="roles"/> the services know.</summary>
    internal static ClaimsPrincipal Person(string id, string? name, IEnumerable<string> roles, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id) };
        if (!string.IsNullOrEmpty(name)) claims.Add(new Claim(ClaimTypes.Name, name));
        foreach (var role in roles.Where(StaffRoles.Contains).Distinct())
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
            claims.Add(new Claim(ApiKeyAuthentication.CallerClaimType(role), id));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
