using Dit.Testing;

namespace Dit.Notifications.Tests;

/// <summary>The notifications service with the in-memory bus, a fresh database and its own pickup folder.</summary>
public sealed class NotificationsApp(Dictionary<string, string?> settings, string pickupFolder) : ServiceFactory<Program>(settings)
{
    public string PickupFolder { get; } = pickupFolder;

    public static async Task<NotificationsApp> StartAsync(string provider)
    {
        var settings = await SettingsAsync("Notifications", provider);
        var pickup = Path.Combine(Path.GetTempPath(), $"dit-pickup-{Guid.NewGuid():N}");
        settings["Notifications:Mail:PickupFolder"] = pickup;
        var app = new NotificationsApp(settings, pickup);
        _ = app.Server;
        return app;
    }

    /// <summary>The complete mails in the pickup folder once <paramref name="count"/> have arrived (or after 30 s).</summary>
    public Task<string[]> WaitForMailsAsync(int count) => Dit.Testing.PickupFolder.WaitForMailsAsync(PickupFolder, count);
}
