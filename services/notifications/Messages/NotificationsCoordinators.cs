namespace Dit.Notifications.Messages;

public static class NotificationsCoordinators
{
    /// <summary>Learned from scheduling (<see cref="LearnCoordinatorKeys"/>): hashes only.</summary>
    public static readonly KeyHolders Holders = new("coordinators", "coord", personal: true);
}
