namespace Dit.Scheduling.Coordinators;

/// <summary>Clinic coordinators' API keys, and every person's personal keys (<see cref="PersonalKeysApi"/>).</summary>
public static class CoordinatorRoster
{
    public static readonly KeyHolders Holders = new("coordinators", "coord", personal: true);
}
