using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;
using NodaTime;

namespace Dit.EndToEnd.Tests;

public sealed class ReferralToInviteTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    [Fact]
    public async Task A_posted_referral_is_booked_as_16_weekly_sessions_and_the_patient_gets_the_invite()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var client = await system.NewReferrerAsync("North Talking Therapies");
        // 1 March next year: a Tuesday course from then crosses the last Sunday of March.
        var earliest = new LocalDate(SystemClock.Instance.GetCurrentInstant().InZone(London).Year + 1, 3, 1);

        var posted = await client.PostAsJsonAsync("/api/referrals", new
        {
            referrerReference = "E2E-1",
            patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = "alex@example.org" },
            availability = new[] { new { day = "Tuesday", from = "18:00", to = "21:00" } },
            earliestStart = earliest.ToString("yyyy-MM-dd", null),
            consent = new { email = true, sms = false },
        });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var referral = await PollUntilAsync(client, posted.Headers.Location!, "booked");
        var booking = referral["booking"]!;
        var sessions = booking["sessions"]!.AsArray();
        Assert.Equal("Tuesday", booking["weekday"]!.GetValue<string>());
        Assert.Equal("18:00", booking["time"]!.GetValue<string>());
        Assert.Equal(16, sessions.Count);
        var locals = sessions.Select(s => DateTime.Parse(s!["localStart"]!.GetValue<string>())).ToList();
        Assert.All(locals, l => Assert.Equal(new TimeSpan(18, 0, 0), l.TimeOfDay));
        Assert.All(locals.Zip(locals.Skip(1)), pair => Assert.Equal(TimeSpan.FromDays(7), pair.Second - pair.First));
        var utcHours = sessions.Select(s => s!["startUtc"]!.GetValue<DateTimeOffset>().UtcDateTime.Hour).Distinct().Order();
        Assert.Equal([17, 18], utcHours);   // the wall clock holds while UTC moves at the clock change

        var mail = Assert.Single(await system.WaitForMailsAsync(1));
        Assert.Contains("To: alex@example.org", mail);
        var calendar = MimeMessage.Parse(mail).Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("REQUEST", calendar.Parameters["method"]);
        await IcsParsers.ExpectOccurrencesAsync(calendar.Body,
            sessions.Select(s => s!["startUtc"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
    }

    public static async Task<JsonObject> PollUntilAsync(HttpClient client, Uri location, string status, int seconds = 30)
    {
        JsonObject? referral = null;
        for (var i = 0; i < seconds * 4; i++)
        {
            referral = await client.GetFromJsonAsync<JsonObject>(location);
            if (referral!["status"]!.GetValue<string>() == status) return referral;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Not {status} within {seconds} s: {referral}");
    }
}
