using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Scheduling.Tests;

public sealed class TherapistsApiTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_coordinator_adds_a_therapist_with_split_hours_changes_them_and_records_leave(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var coordinator = await app.NewStaffAsync("Coordinator and administrator", "coordinator", "administrator");

        var invalid = await coordinator.PostAsJsonAsync("/api/therapists", new
        {
            name = "", maxSessionsPerWeek = 0,
            workingHours = new[] { new { day = "Funday", from = "06:00", to = "25:00" } },
        });
        var created = await coordinator.PostAsJsonAsync("/api/therapists", new
        {
            name = "Dr Asha Patel", maxSessionsPerWeek = 20,
            workingHours = new[]
            {
                new { day = "Monday", from = "07:00", to = "11:00" },
                new { day = "Monday", from = "17:00", to = "21:00" },
            },
        });
        var therapist = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = therapist["id"]!.GetValue<string>();
        var hours = await coordinator.PutAsJsonAsync($"/api/therapists/{id}/working-hours",
            new[] { new { day = "Tuesday", from = "09:00", to = "17:00" } });
        var leave = await coordinator.PostAsJsonAsync($"/api/therapists/{id}/leave", new { from = "2027-03-01", to = "2027-03-05", reason = "Annual leave" });
        var backwards = await coordinator.PostAsJsonAsync($"/api/therapists/{id}/leave", new { from = "2027-03-05", to = "2027-03-01" });
        var unknown = await coordinator.PutAsJsonAsync($"/api/therapists/{Guid.NewGuid()}/working-hours", Array.Empty<object>());

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("name", errors);
        Assert.Contains("maxSessionsPerWeek", errors);
        Assert.Contains("workingHours[0].day", errors);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, therapist["workingHours"]!.AsArray().Count);
        Assert.Equal("Tuesday", (await hours.Content.ReadFromJsonAsync<JsonObject>())!["workingHours"]![0]!["day"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, leave.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var diary = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/therapists/{id}/diary?from=2027-02-25&to=2027-04-10"))!;
        Assert.Equal("2027-03-01", diary["leave"]![0]!["from"]!.GetValue<string>());
        Assert.Contains(diary["closedDays"]!.AsArray(), d => d!["date"]!.GetValue<string>() == "2027-03-26");   // Good Friday
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_booking_avoids_leave_and_a_closed_day_the_coordinator_added_and_the_diary_shows_the_course(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var coordinator = await app.NewStaffAsync("Coordinator and administrator", "coordinator", "administrator");
        var created = await coordinator.PostAsJsonAsync("/api/therapists", new
        {
            name = "Sam Okafor", maxSessionsPerWeek = 20,
            workingHours = new[] { "Tuesday", "Thursday" }.Select(day => new { day, from = "17:00", to = "21:00" }),
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await coordinator.PostAsJsonAsync($"/api/therapists/{id}/leave", new { from = "2027-03-30", to = "2027-03-30" });
        await coordinator.PostAsJsonAsync("/api/closed-days", new { date = "2027-04-13", name = "Clinic training day" });

        await app.Services.GetRequiredService<IBus>().Publish(new ReferralForBooking(Guid.NewGuid(), "referrer-1",
            [
                new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0)),
                new AvailabilityWindow(DayOfWeek.Thursday, new TimeOnly(18, 0), new TimeOnly(19, 0)),
            ],
            new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));

        var diary = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/therapists/{id}/diary?from=2027-03-01&to=2027-05-31"))!;
        var starts = diary["sessions"]!.AsArray().Select(s => s!["localStart"]!.GetValue<string>()).ToList();
        Assert.Contains("2027-04-01T18:00", starts);      // the leave week's session, on Thursday
        Assert.Contains("2027-04-15T18:00", starts);      // the closed day's week, on Thursday
        Assert.DoesNotContain("2027-03-30T18:00", starts);
        Assert.DoesNotContain("2027-04-13T18:00", starts);
        // 13 course weeks fall in March–May; two of them were moved to Thursday.
        Assert.Equal(11, starts.Count(s => s.EndsWith("T18:00") && NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm")
            .Parse(s).Value.DayOfWeek == NodaTime.IsoDayOfWeek.Tuesday));
    }
}
