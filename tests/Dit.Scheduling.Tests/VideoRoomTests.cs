using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Scheduling.Tests;

/// <summary>
/// Issue 23: each course gets a private video room when booked — the platform's address with a room id of 256 random
/// bits, nothing of the patient's — told to notifications in the booking and shown in the therapist's diary.
/// </summary>
public sealed class VideoRoomTests
{
    private const string Template = "https://video.example.nhs.uk/dit/{room}";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_booked_course_gets_its_own_unguessable_room_in_the_booking_and_the_diary(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider, extra: new() { ["Scheduling:Video:JoinUrlTemplate"] = Template });
        var therapist = await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var bus = app.Services.GetRequiredService<IBus>();
        var window = new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(20, 0));
        foreach (var _ in Enumerable.Range(0, 2))
            await bus.Publish(new ReferralForBooking(Guid.NewGuid(), "referrer", [window], new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow));

        Assert.Equal(32, await app.WaitForCountAsync("select count(*) from appointments", 32));
        await using var connection = await app.Database.OpenAsync();
        var booked = (await connection.QueryAsync<string>("select body from outbox where message_type = 'Dit.Contracts.CourseBooked'"))
            .Select(b => JsonSerializer.Deserialize<CourseBooked>(b, MessageJson.Options)!).ToList();
        Assert.Equal(2, booked.Count);
        var rooms = booked.Select(b => b.JoinUrl!).ToList();
        Assert.All(rooms, room =>
        {
            Assert.StartsWith("https://video.example.nhs.uk/dit/", room);
            var id = room["https://video.example.nhs.uk/dit/".Length..];
            Assert.Matches("^[A-Za-z0-9_-]{43}$", id);   // 256 bits, base64url
        });
        Assert.NotEqual(rooms[0], rooms[1]);

        var coordinator = await app.NewStaffAsync("Coordinator", "coordinator");
        var diary = await coordinator.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/therapists/{therapist}/diary?from=2027-03-01&to=2027-03-07");
        Assert.Equal(rooms.Order(), diary!["sessions"]!.AsArray().Select(s => s!["joinUrl"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task With_no_video_platform_set_a_course_has_no_room()
    {
        await using var app = await SchedulingApp.StartAsync("sqlite");
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        await app.Services.GetRequiredService<IBus>().Publish(new ReferralForBooking(Guid.NewGuid(), "referrer",
            [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(20, 0))], new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow));

        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        await using var connection = await app.Database.OpenAsync();
        var body = await connection.QuerySingleAsync<string>("select body from outbox where message_type = 'Dit.Contracts.CourseBooked'");
        Assert.Null(JsonSerializer.Deserialize<CourseBooked>(body, MessageJson.Options)!.JoinUrl);
    }
}
