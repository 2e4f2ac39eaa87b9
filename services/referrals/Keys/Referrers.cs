namespace Dit.Referrals.Keys;

/// <summary>Referring organisations and their API keys.</summary>
public static class Referrers
{
    public static readonly KeyHolders Holders = new("referrers", "ref");
}
