namespace Dit.Scheduling.Coordinators;

/// <summary>Clinic coordinators and their API keys.</summary>
public static class CoordinatorRoster
{
    public static readonly KeyHolders Holders = new("coordinators", "coord");
}
