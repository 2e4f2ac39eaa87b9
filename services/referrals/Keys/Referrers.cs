namespace Dit.Referrals.Keys;

/// <summary>Referring organisations and their API keys.</summary>
public static class Referrers
{
    public static readonly KeyHolders Holders = new("referrers", "ref");

    public static Task<(string Id, string Key)> AddAsync(ReferralsDatabase database, string name, Instant now, string? key = null) =>
        Holders.AddAsync(database, name, now, key);

    public static Task<string?> FindByKeyHashAsync(ReferralsDatabase database, string keyHash) =>
        Holders.FindByKeyHashAsync(database, keyHash);

    public static Task<bool> IsActiveAsync(ReferralsDatabase database, string id) => Holders.IsActiveAsync(database, id);
}
