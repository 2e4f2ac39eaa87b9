using Dapper;
using Dit.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Notifications.Messages;

public static class NotificationsCoordinators
{
    /// <summary>Learned from scheduling (<see cref="LearnCoordinatorKeys"/>): hashes only.</summary>
    public static readonly KeyHolders Holders = new("coordinators", "coord");
}
