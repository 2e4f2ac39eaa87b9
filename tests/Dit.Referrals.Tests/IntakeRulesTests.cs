using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;

namespace Dit.Referrals.Tests;

public sealed class IntakeRulesTests
{
    [Theory]
    [InlineData("sqlite", "consent", """{ "email": false, "sms": false }""", "consent")]
    [InlineData("sqlite", "consent", """{ "email": false, "sms": true }""", "consent")]   // SMS consent, but no mobile given
    [InlineData("postgres", "consent", """{ "email": false, "sms": false }""", "consent")]
    public async Task A_referral_without_a_consented_way_to_reach_the_patient_is_refused(string provider, string path, string json, string field)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var body = Referral.With(path, JsonNode.Parse(json));
        body["patient"]!["mobile"] = null;   // only the email address is given

        var response = await client.PostAsJsonAsync("/api/referrals", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey(field));
        Assert.Equal(0, await app.CountAsync("referrals"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Consent_to_a_channel_needs_that_channels_address(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var body = Referral.With("consent", new JsonObject { ["email"] = true, ["sms"] = true });
        body["patient"]!["mobile"] = null;

        var response = await client.PostAsJsonAsync("/api/referrals", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("consent.sms", (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("sqlite", 17)]
    [InlineData("sqlite", 121)]
    [InlineData("postgres", 17)]
    public async Task Patients_outside_the_adult_age_range_are_refused(string provider, int age)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var dateOfBirth = DateTime.UtcNow.Date.AddYears(-age).AddDays(-1).ToString("yyyy-MM-dd");

        var response = await client.PostAsJsonAsync("/api/referrals", Referral.With("patient.dateOfBirth", dateOfBirth));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("aged 18 to 120", (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["patient.dateOfBirth"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Names_with_any_letters_apostrophes_and_hyphens_are_accepted_and_digits_are_not(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var unicode = await client.PostAsJsonAsync("/api/referrals", Referral.With("patient.givenName", "Zoë-Siân D'Arcy Łukasz", reference: "N-1"));
        var digits = await client.PostAsJsonAsync("/api/referrals", Referral.With("patient.givenName", "Alex2", reference: "N-2"));
        var tooLong = await client.PostAsJsonAsync("/api/referrals", Referral.With("patient.familyName", new string('a', 101), reference: "N-3"));

        Assert.Equal(HttpStatusCode.Accepted, unicode.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, digits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Overlapping_windows_are_merged_and_the_mobile_normalised_before_booking(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var body = Referral.With("availability", new JsonArray(
            new JsonObject { ["day"] = "Tuesday", ["from"] = "17:00", ["to"] = "19:00" },
            new JsonObject { ["day"] = "tuesday", ["from"] = "18:30", ["to"] = "21:00" },
            new JsonObject { ["day"] = "Monday", ["from"] = "09:00", ["to"] = "10:00" }));

        var response = await client.PostAsJsonAsync("/api/referrals", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var forBooking = await OutboxMessageAsync<ReferralForBooking>(app);
        Assert.Equal(
            [new AvailabilityWindow(DayOfWeek.Monday, new(9, 0), new(10, 0)), new AvailabilityWindow(DayOfWeek.Tuesday, new(17, 0), new(21, 0))],
            forBooking.Availability);
        var accepted = await OutboxMessageAsync<ReferralAccepted>(app);
        Assert.Equal(new PatientContactDetails("Alex", "O'Brien-Smith", "alex@example.org", "+447700900123"), accepted.Patient);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Notifications_is_sent_the_contact_details_and_scheduling_the_times_and_neither_gets_the_NHS_number_or_birth_date(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/referrals", Referral.Valid())).StatusCode);

        await using var connection = await app.Database.OpenAsync();
        var bodies = (await connection.QueryAsync<(string Type, string Body)>("select message_type, body from outbox")).ToDictionary(m => m.Type, m => m.Body);
        Assert.Equal([typeof(ReferralAccepted).FullName, typeof(ReferralForBooking).FullName], bodies.Keys.Order());
        foreach (var body in bodies.Values)
            foreach (var withheld in new[] { "9434765919", "1990-04-01", "nhsNumber", "dateOfBirth", "presenting", "risk" })
                Assert.DoesNotContain(withheld, body, StringComparison.OrdinalIgnoreCase);
        foreach (var contact in new[] { "alex@example.org", "Smith" })
            Assert.DoesNotContain(contact, bodies[typeof(ReferralForBooking).FullName!], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("alex@example.org", bodies[typeof(ReferralAccepted).FullName!]);
    }

    [Theory]
    [InlineData("sqlite", """{ "day": "Tuesday", "from": "17:00", "to": "17:49" }""")]
    [InlineData("sqlite", """{ "day": "Tuesday", "from": "22:30", "to": "23:30" }""")]
    [InlineData("sqlite", """{ "day": "Tuesday", "from": "20:00", "to": "19:00" }""")]
    [InlineData("sqlite", """{ "day": "7", "from": "17:00", "to": "19:00" }""")]
    [InlineData("sqlite", """{ "day": "Tuesday", "from": "5pm", "to": "19:00" }""")]
    [InlineData("postgres", """{ "day": "Tuesday", "from": "06:30", "to": "08:00" }""")]
    public async Task A_window_that_cannot_hold_a_session_between_07_00_and_23_00_is_refused(string provider, string window)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var response = await client.PostAsJsonAsync("/api/referrals", Referral.With("availability", new JsonArray(JsonNode.Parse(window))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject(), e => e.Key.StartsWith("availability[0]"));
    }

    [Fact]
    public void A_ReferralAccepted_of_the_older_fuller_shape_still_reads_as_the_contact_details_alone()
    {
        const string older = """
            {"referralId":"3f2b1c1e-8d7a-4f3e-9a51-2c0e9b7d6a10","referrerId":"referrer-1",
             "patient":{"nhsNumber":"9434765919","givenName":"Alex","familyName":"Smith","dateOfBirth":"1990-04-01","email":"alex@example.org","mobile":null},
             "consent":{"email":true,"sms":false},"availability":[{"day":2,"from":"18:00:00","to":"19:00:00"}],
             "earliestStart":"2027-03-01","timeZone":"Europe/London","occurredAt":"2027-01-04T09:00:00+00:00"}
            """;

        var accepted = JsonSerializer.Deserialize<ReferralAccepted>(older, MessageJson.Options)!;

        Assert.Equal(new PatientContactDetails("Alex", "Smith", "alex@example.org", null), accepted.Patient);
        Assert.Equal((Guid.Parse("3f2b1c1e-8d7a-4f3e-9a51-2c0e9b7d6a10"), true), (accepted.ReferralId, accepted.Consent.Email));
    }

    public static async Task<T> OutboxMessageAsync<T>(ReferralsApp app)
    {
        await using var connection = await app.Database.OpenAsync();
        var body = await connection.QuerySingleAsync<string>("select body from outbox where message_type = @type", new { type = typeof(T).FullName });
        return JsonSerializer.Deserialize<T>(body, MessageJson.Options)!;
    }
}

public sealed class PatientZoneTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_patient_in_New_York_may_offer_06_00_to_08_00_their_time_which_is_inside_the_UK_day(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var body = Referral.With("availability", JsonNode.Parse("""[ { "day": "Wednesday", "from": "06:00", "to": "08:00" } ]"""));
        body["timeZone"] = "America/New_York";

        var response = await client.PostAsJsonAsync("/api/referrals", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_window_that_never_meets_the_UK_day_is_refused_naming_the_window()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewReferrerAsync();
        // 14:00–15:00 in Honolulu is midnight to 01:00 in London, summer or winter.
        var body = Referral.With("availability", JsonNode.Parse("""[ { "day": "Monday", "from": "09:00", "to": "11:00" }, { "day": "Tuesday", "from": "14:00", "to": "15:00" } ]"""));
        body["timeZone"] = "Pacific/Honolulu";

        var response = await client.PostAsJsonAsync("/api/referrals", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["availability[1]"], errors.Select(e => e.Key));
        Assert.Contains("07:00–23:00 UK time", errors["availability[1]"]![0]!.GetValue<string>());
        Assert.Equal(0, await app.CountAsync("referrals"));
    }
}
