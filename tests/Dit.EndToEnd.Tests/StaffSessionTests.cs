using System.Net;
using Dit.Scheduling;
using Dit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// The staff front end's sessions in Chromium: sign-in at the development provider, the cookie no script reads, changes
/// refused without the page's antiforgery token, sign-out at the provider too, the idle and longest-session limits on the
/// front end's clock, and a page that says so when the provider is down while API keys keep working.
/// </summary>
public sealed class StaffSessionTests
{
    /// <summary>A request made by the page's own script, with the session's cookie: its status.</summary>
    private static Task<int> FetchAsync(IPage page, string method, string path, bool withToken) =>
        page.EvaluateAsync<int>("""
            async ([method, path, withToken]) => {
              const headers = { "Content-Type": "application/json" };
              if (withToken) headers[session.header] = session.token;
              return (await fetch(path, { method, headers, body: method === "GET" ? undefined : "{}" })).status;
            }
            """, new object[] { method, path, withToken });

    [Fact]
    public async Task A_coordinator_signs_in_changes_only_with_the_pages_token_and_signing_out_ends_the_session_at_the_provider_too()
    {
        await using var clinic = await StaffClinic.StartAsync();
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        var page = await StaffBrowser.SignedInPageAsync(browser, clinic.FrontEnd, "coordinator", "demo-coordinator");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Casey Coordinator (coordinator)");
        Assert.Equal(0, await page.Locator("input[type=password]").CountAsync());   // no key field any more
        var response = await page.ReloadAsync();
        var policy = response!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("DENY", response.Headers["x-frame-options"]);
        Assert.Equal("no-referrer", response.Headers["referrer-policy"]);
        // The reloaded page has read its session (and so its antiforgery token) once it says who is signed in.
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Casey Coordinator (coordinator)");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "dit-staff");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);

        // A change that does not carry the page's antiforgery token is refused before it reaches a service; with it, it reaches one.
        var unknownTherapist = $"/api/therapists/{Guid.NewGuid()}/leave";
        Assert.Equal(400, await FetchAsync(page, "POST", unknownTherapist, withToken: false));
        Assert.Equal(404, await FetchAsync(page, "POST", $"/api/reviews/{Guid.NewGuid()}/accept", withToken: true));
        Assert.Equal(200, await FetchAsync(page, "GET", "/api/waitlist/", withToken: false));

        // Signing out ends the session here and at the provider: the next visit meets the sign-in form again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        Assert.Equal(401, await FetchAsync(page, "GET", "/api/waitlist/", withToken: false));
        await page.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/").ToString());
        await Assertions.Expect(page.GetByLabel("User name")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_session_ends_after_30_idle_minutes_and_after_8_hours_however_busy()
    {
        await using var clinic = await StaffClinic.StartAsync();
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        var idle = await StaffBrowser.SignedInPageAsync(browser, clinic.FrontEnd, "coordinator", "demo-coordinator");
        var busy = await StaffBrowser.SignedInPageAsync(browser, clinic.FrontEnd, "coordinator", "demo-coordinator");
        // The pages' own first loads finish before the clock moves: a load still running when the access token's half hour is
        // past meets a 401 and sends its page off to sign in, under the test's feet.
        await idle.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await busy.WaitForLoadStateAsync(LoadState.NetworkIdle);
        for (var minutes = 0; minutes < 8 * 60 - 25; minutes += 25)
        {
            clinic.Time.Advance(TimeSpan.FromMinutes(25));
            Assert.Equal(200, await FetchAsync(busy, "GET", "/account/session", withToken: false));
        }
        Assert.Equal(401, await FetchAsync(idle, "GET", "/account/session", withToken: false));
        clinic.Time.Advance(TimeSpan.FromMinutes(25));   // 8 h 20 min since sign-in
        Assert.Equal(401, await FetchAsync(busy, "GET", "/account/session", withToken: false));
        // Back to the page: off to sign in (the provider's own session has its own 8 hours, on the real clock).
        await busy.ReloadAsync();
        await Assertions.Expect(busy.Locator("#signed-in-as")).ToHaveTextAsync("Casey Coordinator (coordinator)");
    }

    [Fact]
    public async Task With_the_provider_down_the_page_says_sign_in_is_unavailable_and_keys_keep_working()
    {
        await using var clinic = await StaffClinic.StartAsync();
        await clinic.Provider.StopAsync();
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/").ToString());

        Assert.Equal(503, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in is not available" })).ToBeVisibleAsync();
        var (_, key) = await Dit.Scheduling.Coordinators.CoordinatorRoster.Holders.AddAsync(
            clinic.Services.Services.GetRequiredService<SchedulingDatabase>(), "Scripted coordinator", NodaTime.SystemClock.Instance.GetCurrentInstant());
        using var script = DistributedSystem.ClientFor(clinic.Services, key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/waitlist/")).StatusCode);
    }
}
