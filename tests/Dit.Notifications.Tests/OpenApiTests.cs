using Dit.Testing;

namespace Dit.Notifications.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_notifications_API_is_described_the_feed_without_a_key_the_coordinators_endpoints_with_one_and_matches_docs()
    {
        await using var app = await NotificationsApp.StartAsync("sqlite");

        var served = await ApiDocument.ServedAndCheckedInAsync(app.CreateClient(), "notifications");

        var paths = served["paths"]!.AsObject();
        Assert.Null(paths["/calendar/{file}"]!["get"]!["security"]);
        Assert.Equal("ApiKey", paths["/api/messages"]!["get"]!["security"]![0]!.AsObject().Single().Key);
        Assert.Equal("ApiKey", paths["/api/calendar-feeds/{courseId}/revoke"]!["post"]!["security"]![0]!.AsObject().Single().Key);
    }
}
