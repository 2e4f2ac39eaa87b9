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

    public static Task<bool> IsActiveAsync(SchedulingDatabase database, string id) => Holders.IsActiveAsync(database, id);
}

public static class CoordinatorAccess
{
    /// <summary>Only a coordinator's key opens these endpoints (a referrer's key is unknown here: 401).</summary>
    public static TBuilder RequireCoordinatorKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireApiKey((http, keyHash) =>
            Coordinators.FindByKeyHashAsync(http.RequestServices.GetRequiredService<SchedulingDatabase>(), keyHash));
}
