using Dit.Platform;

namespace Dit.Scheduling.Tests;

/// <summary>Issue 21: scheduling's settings are options checked at start, each refusal naming the setting and what it may be.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Scheduling:Progress:Phases", "1-4,6-12,13-16",
        "Setting Scheduling:Progress:Phases must be three ranges of session numbers from 1, one after the other, up to 20 (\"1-4,5-12,13-16\") (was '1-4,6-12,13-16').")]
    [InlineData("Scheduling:Progress:Phases", "early,middle,late",
        "Setting Scheduling:Progress:Phases must be three ranges of session numbers from 1, one after the other, up to 20 (\"1-4,5-12,13-16\") (was 'early,middle,late').")]
    [InlineData("Scheduling:Booking:FirstStart", "07:30", "Setting Scheduling:Booking:FirstStart must be a whole hour, HH:00 (was '07:30').")]
    [InlineData("Scheduling:Booking:LastStart", "23:00",
        "Setting Scheduling:Booking:LastStart must be a whole hour from FirstStart (07:00) to 22:00, so that a session ends by 23:00 (was '23:00').")]
    [InlineData("Scheduling:Booking:HorizonWeeks", "0", "Setting Scheduling:Booking:HorizonWeeks must be a whole number from 1 to 104 (was '0').")]
    [InlineData("Scheduling:Waitlist:RetrySeconds", "often", "Setting Scheduling:Waitlist:RetrySeconds must be a number of seconds from 0.01 to 604800 (was 'often').")]
    [InlineData("Scheduling:Video:JoinUrlTemplate", "https://video.example.nhs.uk/dit",
        "Setting Scheduling:Video:JoinUrlTemplate must be the video platform's room address with {room} where the room id goes (was 'https://video.example.nhs.uk/dit').")]
    [InlineData("Scheduling:Database:Provider", "oracle", "Setting Scheduling:Database:Provider must be one of sqlite, postgres, postgresql (was 'oracle').")]
    public async Task A_bad_value_stops_the_service_at_start_with_a_message_naming_the_setting(string key, string value, string message)
    {
        using var app = await SchedulingApp.CreateAsync("sqlite", extra: new() { [key] = value });

        Assert.Contains($"{nameof(InvalidSettingException)}: {message}", app.RefusedStart());
    }
}
