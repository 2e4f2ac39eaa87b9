using Microsoft.AspNetCore.Authorization;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Who may call scheduling's staff endpoints (docs/security.md, "Roles"): each group is open to its roles, and an
/// endpoint in it may narrow them with <see cref="For"/>; a caller without one of them gets 403, one without a known key
/// or token 401.
/// </summary>
public static class CoordinatorAccess
{
    public const string Coordinator = ApiKeyAuthentication.Coordinator;
    public const string ClinicalLead = StaffTokens.ClinicalLead;
    public const string Administrator = StaffTokens.Administrator;
    public const string Therapist = StaffTokens.Therapist;

    /// <summary>A group of staff endpoints: in the scheduling API document, rate-limited per caller, open to <paramref name="roles"/>.</summary>
    public static RouteGroupBuilder MapStaffGroup(this IEndpointRouteBuilder app, string prefix, string tag, params string[] roles) =>
        app.MapGroup(prefix)
            .WithGroupName("scheduling")
            .WithTags(tag)
            .RequireRateLimiting(RateLimits.PerKey)
            .RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(",", roles) });   // a referrer's key is unknown here: 401

    /// <summary>Narrows an endpoint of a staff group to <paramref name="roles"/> (of the group's).</summary>
    public static RouteHandlerBuilder For(this RouteHandlerBuilder endpoint, params string[] roles) =>
        endpoint.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(",", roles) });
}
