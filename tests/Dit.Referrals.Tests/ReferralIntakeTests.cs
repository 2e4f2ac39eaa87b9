using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dit.Referrals.Tests;

public sealed class ReferralIntakeTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_valid_referral_is_accepted_stored_and_announced(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var response = await client.PostAsJsonAsync("/api/referrals", Referral.Valid());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal($"/api/referrals/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("received", body["status"]!.GetValue<string>());
        var status = await client.GetFromJsonAsync<JsonObject>($"/api/referrals/{id}");
        Assert.Equal("IAPT-000123", status!["referrerReference"]!.GetValue<string>());
        Assert.Equal("received", status["history"]![0]!["status"]!.GetValue<string>());
        // ReferralAccepted (for notifications) and ReferralForBooking (for scheduling) wait in the outbox, written in the
        // same transaction as the referral; the one for scheduling carries no NHS number, name, birth date or contact.
        await using var connection = await app.Database.OpenAsync();
        var messages = (await Dapper.SqlMapper.QueryAsync<(string Type, string Body)>(connection, "select message_type, body from outbox order by message_type")).ToList();
        Assert.Equal(["Dit.Contracts.ReferralAccepted", "Dit.Contracts.ReferralForBooking"], messages.Select(m => m.Type));
        var forBooking = messages[1].Body;
        Assert.DoesNotContain("nhsNumber", forBooking, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@", forBooking);
        Assert.DoesNotContain("dateOfBirth", forBooking, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Alex", forBooking);    // given name
        Assert.DoesNotContain("Brien", forBooking);   // family name, O'Brien-Smith
        Assert.Contains("\"patientInitials\":\"AO\"", forBooking);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_same_referral_posted_again_returns_the_original_with_200(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var first = await client.PostAsJsonAsync("/api/referrals", Referral.Valid());
        var again = await client.PostAsJsonAsync("/api/referrals", Referral.Valid());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(),
            (await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        Assert.Equal(1, await app.CountAsync("referrals"));
        Assert.Equal(2, await app.CountAsync("outbox"));   // ReferralAccepted and ReferralForBooking, once
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_identical_posts_at_once_create_one_referral(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.PostAsJsonAsync("/api/referrals", Referral.Valid())));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Accepted], responses.Select(r => r.StatusCode).Order().ToArray());
        Assert.Equal(1, await app.CountAsync("referrals"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Reusing_a_reference_for_a_different_referral_is_a_conflict(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        await client.PostAsJsonAsync("/api/referrals", Referral.Valid());

        var response = await client.PostAsJsonAsync("/api/referrals", Referral.With("patient.givenName", "Jo"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["referrerReference"]);
        Assert.Equal(1, await app.CountAsync("referrals"));
    }

    public static TheoryData<string, string, string, string> InvalidFields()
    {
        var data = new TheoryData<string, string, string, string>();
        (string Path, string Value, string Field)[] cases =
        [
            ("patient.nhsNumber", "9434765918", "patient.nhsNumber"),
            ("patient.nhsNumber", "943476591", "patient.nhsNumber"),
            ("patient.nhsNumber", "1000000010", "patient.nhsNumber"),
            ("patient.givenName", "", "patient.givenName"),
            ("patient.familyName", "<script>alert(1)</script>", "patient.familyName"),
            ("patient.givenName", "Robert'); DROP TABLE referrals;--", "patient.givenName"),
            ("patient.dateOfBirth", "2090-01-01", "patient.dateOfBirth"),
            ("patient.dateOfBirth", "1990-02-30", "patient.dateOfBirth"),
            ("patient.email", "not-an-email", "patient.email"),
            ("patient.mobile", "12345", "patient.mobile"),
            ("patient.mobile", "+44 1632 960000", "patient.mobile"),   // a UK landline (international mobiles are taken: issue 20)
            ("availability[0].day", "Funday", "availability[0].day"),
            ("availability[0].from", "06:00", "availability[0]"),
            ("availability[0].to", "23:30", "availability[0]"),
            ("availability[0].to", "17:30", "availability[0]"),
            ("availability[1].from", "25:00", "availability[1].from"),
            ("earliestStart", "2026-02-30", "earliestStart"),
            ("earliestStart", "2001-01-01", "earliestStart"),
            ("earliestStart", "yesterday", "earliestStart"),
            ("timeZone", "Mars/Olympus_Mons", "timeZone"),
            ("timeZone", "../../etc/passwd", "timeZone"),
            ("referrerReference", "", "referrerReference"),
        ];
        foreach (var provider in new[] { "sqlite", "postgres" })
            foreach (var (path, value, field) in cases) data.Add(provider, path, value, field);
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task An_invalid_field_is_named_in_a_400_problem_and_nothing_is_stored(string provider, string path, string value, string field)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var response = await client.PostAsJsonAsync("/api/referrals", Referral.With(path, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), $"errors should name {field}: {problem.ToJsonString()}");
        Assert.Equal(0, await app.CountAsync("referrals"));
        Assert.Equal(0, await app.CountAsync("outbox"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Unreadable_bodies_are_refused_with_the_right_status(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var unknownProperty = Referral.Valid();
        unknownProperty["favouriteColour"] = "blue";
        var wrongType = Referral.With("patient.givenName", 42);

        var malformed = await client.PostAsync("/api/referrals", new StringContent("{\"referrerReference\": ", Encoding.UTF8, "application/json"));
        var notJson = await client.PostAsync("/api/referrals", new StringContent("referrerReference=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var huge = await client.PostAsync("/api/referrals", new StringContent(
            JsonSerializer.Serialize(Referral.With("presentingProblem", new string('x', 100_000))), Encoding.UTF8, "application/json"));
        var unknown = await client.PostAsJsonAsync("/api/referrals", unknownProperty);
        var mistyped = await client.PostAsJsonAsync("/api/referrals", wrongType);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("favouriteColour", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        Assert.Contains("patient.givenName", await mistyped.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.CountAsync("referrals"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_reporting_current_risk_waits_for_review_and_is_not_sent_for_booking(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();

        var response = await client.PostAsJsonAsync("/api/referrals",
            Referral.With("risk", new JsonObject { ["currentRisk"] = true, ["notes"] = "active intent" }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("needs-review", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        await using var connection = await app.Database.OpenAsync();
        Assert.Equal(["Dit.Contracts.ReferralNeedsReview"], await Dapper.SqlMapper.QueryAsync<string>(connection, "select message_type from outbox"));
    }
}
