using Dit.Platform.Http;
using NodaTime;

namespace Dit.Scheduling.Coordinators;

/// <summary>Clinic coordinators and their API keys.</summary>
public static class Coordinators
{
    public static readonly KeyHolders Holders = new("coordinators", "coord");

    public static Task<(string Id, string Key)> AddAsync(SchedulingDatabase database, string name, Instant now, string? key = null) =>
        Holders.AddAsync(database, name, now, key);

    public static Task<string?> FindByKeyHashAsync(SchedulingDatabase database, string keyHash) =>
        Holders.FindByKeyHashAsync(database, keyHash);
}

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
