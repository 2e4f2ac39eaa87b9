using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Dit.EndToEnd.Tests;

/// <summary>The administrator's page in Chromium: they add a therapist who signs in as themselves, and a referring service's key.</summary>
public sealed class AdministratorPageTests
{
    [Fact]
    public async Task An_administrator_signs_in_and_adds_a_therapist_with_their_hours_and_sign_in()
    {
        await using var clinic = await StaffClinic.StartAsync();
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/").ToString());
        await StaffBrowser.SignInAsync(page, "admin", "demo-admin");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Administration" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#therapists")).ToContainTextAsync("Dr Asha Patel");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Jo Evening");
        await page.GetByLabel("Sessions a week, at most").FillAsync("20");
        await page.GetByLabel("From").FillAsync("17:00");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("21:00");
        await page.GetByLabel("Signs in as").FillAsync("demo-therapist");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add therapist" }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Jo Evening added.");
        await Assertions.Expect(page.Locator("#therapists")).ToContainTextAsync("Jo Evening: up to 20 a week; Mon 17:00–21:00");
        await Assertions.Expect(page.Locator("#therapists")).ToContainTextAsync("Signs in as demo-therapist.");
        using var therapist = clinic.Client("Bearer", await clinic.AccessTokenAsync("therapist", "demo-therapist"));
        Assert.Equal("Jo Evening", (await therapist.GetFromJsonAsync<JsonObject>("/api/me"))!["name"]!.GetValue<string>());

        // A referring service: its key shown once, working at once, refused once revoked.
        await page.GetByLabel("Referring service's name").FillAsync("North Talking Therapies");
        await page.GetByLabel("ODS code (for BaRS; optional)").FillAsync("a1001");
        await page.GetByLabel("Where its BaRS news goes (optional)").FillAsync("https://north.example.nhs.uk/fhir/$process-message");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add referring service" }).ClickAsync();
        await Assertions.Expect(page.Locator("#referrers")).ToContainTextAsync(
            "North Talking Therapies: key in use; BaRS as A1001, news to https://north.example.nhs.uk/fhir/$process-message");
        await Assertions.Expect(page.Locator("#referrer-key")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ref_"));
        using var referrer = clinic.Client("ApiKey", (await page.Locator("#referrer-key").TextContentAsync())!);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await referrer.GetAsync("/api/referrals?reference=NONE-1")).StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key: North Talking Therapies" }).ClickAsync();
        await Assertions.Expect(page.Locator("#referrers")).ToContainTextAsync("North Talking Therapies: key revoked");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await referrer.GetAsync("/api/referrals?reference=NONE-1")).StatusCode);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "administrator.png"), FullPage = true });
    }
}
