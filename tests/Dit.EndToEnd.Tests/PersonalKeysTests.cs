using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Notifications;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Personal API keys: a signed-in person makes one for a script; it acts as them, with their roles, in scheduling and
/// notifications alike, is on the audit trail as them, and stops when revoked or expired. A key cannot make keys.
/// </summary>
public sealed class PersonalKeysTests
{
    [Fact]
    public async Task A_coordinators_personal_key_acts_as_her_in_both_services_until_revoked_and_a_days_key_expires()
    {
        await using var clinic = await StaffClinic.StartAsync();
        using var casey = clinic.Client("Bearer", await clinic.AccessTokenAsync("coordinator", "demo-coordinator"));

        var refused = await casey.PostAsJsonAsync("/api/keys", new { label = " ", days = 400 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["days", "label"], errors.Select(e => e.Key).Order());
        var made = await casey.PostAsJsonAsync("/api/keys", new { label = "Waitlist report script" });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var key = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["coordinator"], key["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(90, (key["expiresAt"]!.GetValue<DateTimeOffset>() - clinic.Clock.GetCurrentInstant().ToDateTimeOffset()).TotalDays, 0.01);
        using var script = clinic.Client("ApiKey", key["key"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/waitlist/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/keys", new { label = "a key making keys" })).StatusCode);
        // Notifications learns the key from scheduling within a second here (Scheduling:Coordinators:SyncSeconds).
        var referralId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.OK, await EventuallyAsync(script, $"/api/messages?referralId={referralId}", HttpStatusCode.OK));
        await using (var connection = await clinic.Services.Services.GetRequiredService<NotificationsDatabase>().OpenAsync())
        {
            var row = await connection.QuerySingleAsync<(string Role, string Id, string Name)>(
                "select actor_role, actor_id, actor_name from audit_trail where referral_id = @id", new { id = referralId.ToString() });
            Assert.Equal(("coordinator", "demo-coordinator", "Casey Coordinator"), row);
        }
        var listed = (await casey.GetFromJsonAsync<JsonArray>("/api/keys"))!;
        Assert.Equal("Waitlist report script", listed.Single()!["label"]!.GetValue<string>());
        Assert.DoesNotContain(key["key"]!.GetValue<string>(), listed.ToJsonString());

        // Someone else's key is not theirs to revoke (404); its person revokes it and it stops, in both services.
        using var therapist = clinic.Client("Bearer", await clinic.AccessTokenAsync("therapist", "demo-therapist"));
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.PostAsync($"/api/keys/{key["id"]}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await casey.PostAsync($"/api/keys/{key["id"]}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/waitlist/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await EventuallyAsync(script, $"/api/messages?referralId={referralId}", HttpStatusCode.Unauthorized));

        // A key for one day works today and not the day after.
        var daily = (await (await casey.PostAsJsonAsync("/api/keys", new { label = "Today only", days = 1 })).Content.ReadFromJsonAsync<JsonObject>())!;
        using var today = clinic.Client("ApiKey", daily["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await today.GetAsync("/api/waitlist/")).StatusCode);
        clinic.Clock.Advance(Duration.FromHours(25));
        Assert.Equal(HttpStatusCode.Unauthorized, (await today.GetAsync("/api/waitlist/")).StatusCode);
    }

    [Fact]
    public async Task On_the_keys_page_a_person_makes_a_key_sees_it_once_and_revokes_it()
    {
        await using var clinic = await StaffClinic.StartAsync();
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await StaffBrowser.SignedInPageAsync(browser, clinic.FrontEnd, "coordinator", "demo-coordinator");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Your API keys" }).ClickAsync();
        await page.GetByLabel("What it is for").FillAsync("Monday waitlist export");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Make key" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#made-key")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^pers_"));
        var key = (await page.Locator("#made-key").TextContentAsync())!;
        using var script = clinic.Client("ApiKey", key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/waitlist/")).StatusCode);

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Revoke Monday waitlist export" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#keys")).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/waitlist/")).StatusCode);
    }

    /// <summary>The status of GET <paramref name="path"/> once it is <paramref name="expected"/>, or the last one after 20 s.</summary>
    private static async Task<HttpStatusCode> EventuallyAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var status = HttpStatusCode.InternalServerError;
        for (var i = 0; i < 100 && status != expected; i++)
        {
            if (i > 0) await Task.Delay(200);
            status = (await client.GetAsync(path)).StatusCode;
        }
        return status;
    }
}
