namespace Dit.Scheduling.Coordinators;

public static class CoordinatorAccess
{
    /// <summary>A group of coordinator endpoints: in the scheduling API document, rate-limited per key, coordinator key required.</summary>
    public static RouteGroupBuilder MapCoordinatorGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix)
            .WithGroupName("scheduling")
            .WithTags(tag)
            .RequireRateLimiting(RateLimits.PerKey)
            .RequireAuthorization(ApiKeyAuthentication.Coordinator);   // a referrer's key is unknown here: 401
}
