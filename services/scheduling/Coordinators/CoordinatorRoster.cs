namespace Dit.Scheduling.Coordinators;

/// <summary>Clinic coordinators and their API keys.</summary>
public static class CoordinatorRoster
{
    public static readonly KeyHolders Holders = new("coordinators", "coord");

    public static Task<(string Id, string Key)> AddAsync(SchedulingDatabase database, string name, Instant now, string? key = null) =>
        Holders.AddAsync(database, name, now, key);

    public static Task<string?> FindByKeyHashAsync(SchedulingDatabase database, string keyHash) =>
        Holders.FindByKeyHashAsync(database, keyHash);
}
