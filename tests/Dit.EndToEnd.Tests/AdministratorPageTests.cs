using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Dit.EndToEnd.Tests;

/// <summary>The administrator's page in Chromium: signed in as the administrator, they add a therapist who signs in as themselves.</summary>
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
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Therapists and closed days" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#therapists")).ToContainTextAsync("Dr Asha Patel");
        await page.GetByLabel("Name").FillAsync("Jo Evening");
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
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "administrator.png"), FullPage = true });
    }
}
