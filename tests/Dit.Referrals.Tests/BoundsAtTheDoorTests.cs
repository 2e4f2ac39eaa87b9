using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using NodaTime;

namespace Dit.Referrals.Tests;

/// <summary>
/// Issue 20's table, at the referrals door: every date inside a stated range, every address one that every library takes
/// as itself. Each refusal is 400 naming the field, and nothing is stored or published.
/// </summary>
public sealed class BoundsAtTheDoorTests
{
    private static LocalDate Today => SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;

    private static string Iso(LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);

    public static IEnumerable<(string Field, string Value)> Refused()
    {
        foreach (var date in new[] { "0001-01-01", "9999-12-31", "9999-11-01", Iso(Today.PlusDays(-1)), Iso(Today.PlusWeeks(18).PlusDays(1)),
                     Iso(Today.PlusYears(5)) })
            yield return ("earliestStart", date);
        foreach (var date in new[] { "0001-01-01", "9999-12-31", Iso(Today.PlusDays(1)), Iso(Today.PlusYears(-121).PlusDays(-1)) })
            yield return ("patient.dateOfBirth", date);
        // The probe's addresses: Ical.Net threw on the first three, MimeKit on the next two, and MimeKit read the last as a@example.org.
        foreach (var email in new[] { "a\"b@evil.org", "a\\b@example.org", "\"><svg/onload=alert(1)>@evil.org", "a;b@example.org",
                     "a%0d%0aBcc:x@example.org", "a(evil)@example.org", "Alex <alex@example.org>", "alex@example", "alex@-example.org",
                     "alex..smith@example.org", ".alex@example.org", "alex@example.org.", "al ex@example.org", "alex@exa_mple.org",
                     new string('a', 65) + "@example.org" })
            yield return ("patient.email", email);
        foreach (var mobile in new[] { "+44 1632 960000", "01632 960000", "+1 234", "++447700900123", "+0 7700 900123", "+1234567890123456", "07700 9001234" })
            yield return ("patient.mobile", mobile);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Dates_and_addresses_outside_what_the_product_can_use_are_refused_naming_the_field_and_nothing_is_stored(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider, ("RateLimit:PermitLimit", "1000"));
        var client = await app.NewReferrerAsync();
        var failures = new List<string>();
        var cases = Refused().ToList();
        foreach (var (field, value) in cases)
        {
            var response = await client.PostAsJsonAsync("/api/referrals", Referral.With(field, value));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest) failures.Add($"{field} = {value}: {(int)response.StatusCode}");
            else if (JsonNode.Parse(body)!["errors"]?[field] is null) failures.Add($"{field} = {value}: 400 without naming {field}: {body}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(cases.Count >= 30, $"only {cases.Count} cases");
        Assert.Equal(0, await app.CountAsync("referrals"));
        Assert.Equal(0, await app.CountAsync("outbox"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_edges_of_each_range_and_addresses_every_library_takes_are_accepted_as_given(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var accepted = new (string Field, string Value, string Reference)[]
        {
            ("earliestStart", Iso(Today), "EDGE-1"),
            ("earliestStart", Iso(Today.PlusWeeks(18)), "EDGE-2"),
            ("patient.email", "alex.o'brien+dit@example.co.uk", "EDGE-3"),
            ("patient.email", "ALEX_SMITH-1@mail.example-nhs.org", "EDGE-4"),
            ("patient.mobile", "+33 6 12 34 56 78", "EDGE-5"),
            ("patient.mobile", "0044 7700 900123", "EDGE-6"),
        };
        foreach (var (field, value, reference) in accepted)
        {
            var response = await client.PostAsJsonAsync("/api/referrals", Referral.With(field, value, reference));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{field} = {value}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await using var connection = await app.Database.OpenAsync();
        var contacts = (await connection.QueryAsync<string>("select body from outbox where message_type = @type", new { type = typeof(ReferralAccepted).FullName }))
            .Select(b => System.Text.Json.JsonSerializer.Deserialize<ReferralAccepted>(b, Dit.Platform.Messaging.MessageJson.Options)!.Patient).ToList();
        Assert.Contains(contacts, c => c.Email == "alex.o'brien+dit@example.co.uk");   // stored as given, not as a library re-reads it
        Assert.Contains(contacts, c => c.Mobile == "+33612345678");                    // international, in E.164
        Assert.Contains(contacts, c => c.Mobile == "+447700900123");
    }
}
