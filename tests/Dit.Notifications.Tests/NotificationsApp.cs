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

    /// <summary>The mails in the pickup folder once <paramref name="count"/> have arrived (or after 30 s).</summary>
    public async Task<string[]> WaitForMailsAsync(int count)
    {
        string[] files = [];
        for (var i = 0; i < 300; i++)
        {
            files = Directory.Exists(PickupFolder) ? Directory.GetFiles(PickupFolder, "*.eml") : [];
            if (files.Length >= count) break;
            await Task.Delay(100);
        }
        return await Task.WhenAll(files.Select(f => File.ReadAllTextAsync(f)));
    }
}
