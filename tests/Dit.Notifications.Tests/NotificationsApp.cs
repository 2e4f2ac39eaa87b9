using Dit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Notifications.Tests;

/// <summary>The notifications service with the in-memory bus, a fresh database and its own pickup folder.</summary>
public sealed class NotificationsApp(Dictionary<string, string?> settings, string pickupFolder) : ServiceFactory<Program>(settings)
{
    public string PickupFolder { get; } = pickupFolder;

    public Dictionary<string, string?> Settings { get; } = settings;

    public static async Task<NotificationsApp> StartAsync(string provider, NodaTime.IClock? clock = null, params (string Key, string Value)[] extra)
    {
        var app = await CreateAsync(provider, clock, extra);
        _ = app.Server;
        return app;
    }

    /// <summary>The service on a new database and pickup folder, not started yet.</summary>
    public static async Task<NotificationsApp> CreateAsync(string provider, NodaTime.IClock? clock = null, params (string Key, string Value)[] extra)
    {
        var settings = await SettingsAsync("Notifications", provider);
        settings["Notifications:Mail:PickupFolder"] = Path.Combine(Path.GetTempPath(), $"dit-pickup-{Guid.NewGuid():N}");
        foreach (var (key, value) in extra) settings[key] = value;
        return new NotificationsApp(settings, settings["Notifications:Mail:PickupFolder"]!) { Clock = clock };
    }

    /// <summary>
    /// Another instance on the same database and folders — a restart. Started outside this test's
    /// execution context: MassTransit keeps its log context in an AsyncLocal, which would still hold
    /// the stopped instance's.
    /// </summary>
    public static Task<NotificationsApp> RestartAsync(Dictionary<string, string?> settings, NodaTime.IClock? clock)
    {
        Task<NotificationsApp> started;
        using (ExecutionContext.SuppressFlow()) started = Task.Run(() => Start(settings, clock));
        return started;
    }

    private static NotificationsApp Start(Dictionary<string, string?> settings, NodaTime.IClock? clock)
    {
        var app = new NotificationsApp(settings, settings["Notifications:Mail:PickupFolder"]!) { Clock = clock };
        _ = app.Server;
        return app;
    }

    /// <summary>Publishes the test course as scheduling and referrals would: the patient's details, then the booking.</summary>
    public async Task<Dit.Contracts.CourseBooked> BookTestCourseAsync(bool sms = false)
    {
        var bus = Services.GetRequiredService<MassTransit.IBus>();
        var referralId = Guid.NewGuid();
        var booked = TestCourse.Booked(referralId);
        await bus.Publish(TestCourse.Accepted(referralId, sms));
        await bus.Publish(booked);
        return booked;
    }

    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await Services.GetRequiredService<NotificationsDatabase>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, parameters);
    }

    public async Task<string> ScalarTextAsync(string sql, object? parameters = null)
    {
        await using var connection = await Services.GetRequiredService<NotificationsDatabase>().OpenAsync();
        return (await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, sql, parameters))!;
    }

    /// <summary>The complete mails in the pickup folder once <paramref name="count"/> have arrived (or after 30 s).</summary>
    public Task<string[]> WaitForMailsAsync(int count, int seconds = 30) => Dit.Testing.PickupFolder.WaitForMailsAsync(PickupFolder, count, seconds);
}
