using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Every staff page, with a booked course on it, checked by axe-core against WCAG 2.2 A and AA at a phone's width
/// (390 px) and a desk's (1280 px): the NHS service standard asks for WCAG 2.2 AA.
/// </summary>
public sealed class AccessibilityTests
{
    private static readonly AxeRunOptions Wcag22AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
    };

    [Fact]
    public async Task Every_staff_page_passes_axe_cores_WCAG_2_2_A_and_AA_rules_at_390_and_1280_pixels()
    {
        await using var clinic = await StaffClinic.StartAsync();
        await clinic.LinkTherapistAsync("demo-therapist");
        var booked = await clinic.BookMondayCourseAsync("AXE-1");
        var first = booked["booking"]!["sessions"]![0]!;
        clinic.Clock.Set(Instant.FromDateTimeOffset(first["startUtc"]!.GetValue<DateTimeOffset>()) + Duration.FromMinutes(55));
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        var failures = new List<string>();
        foreach (var width in new[] { 390, 1280 })
        {
            // The coordinator who is also clinical lead sees every section of the coordinator page, a session open.
            var desk = await StaffBrowser.SignedInPageAsync(browser, clinic.FrontEnd, "desk", "test-desk", width, 844);
            await desk.GetByLabel("Week of").FillAsync(first["localStart"]!.GetValue<string>()[..10]);
            await desk.GetByRole(AriaRole.Button, new() { Name = "AS, session 1 of 16" }).ClickAsync();
            await desk.Locator("#progress-chart").WaitForAsync();
            failures.AddRange(await CheckAsync(desk, $"coordinator page at {width} px"));
            await desk.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/figures.html").ToString());
            await desk.Locator("#headline dt").First.WaitForAsync();
            failures.AddRange(await CheckAsync(desk, $"figures page at {width} px"));
            await desk.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/keys.html").ToString());
            await desk.Locator("#keys li").First.WaitForAsync();
            failures.AddRange(await CheckAsync(desk, $"keys page at {width} px"));

            var adminContext = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 844 } });
            var administrator = await adminContext.NewPageAsync();
            await administrator.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/admin.html").ToString());
            await StaffBrowser.SignInAsync(administrator, "admin", "demo-admin");
            await administrator.Locator("#therapists li").First.WaitForAsync();
            failures.AddRange(await CheckAsync(administrator, $"administrator's page at {width} px"));

            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 844 }, IsMobile = width < 500, HasTouch = width < 500 });
            var therapist = await context.NewPageAsync();
            await therapist.GotoAsync(new Uri(clinic.FrontEnd, "/therapist").ToString());
            failures.AddRange(await CheckAsync(therapist, $"provider's sign-in page at {width} px"));
            await StaffBrowser.SignInAsync(therapist, "therapist", "demo-therapist");
            await Assertions.Expect(therapist.Locator("#today")).ToContainTextAsync("session 1 of 16");
            failures.AddRange(await CheckAsync(therapist, $"therapist's page at {width} px"));
            await therapist.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(therapist.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
            failures.AddRange(await CheckAsync(therapist, $"signed-out page at {width} px"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<IEnumerable<string>> CheckAsync(IPage page, string what)
    {
        var result = await page.RunAxe(Wcag22AA);
        return result.Violations.Select(v => $"{what}: {v.Id} ({v.Impact}) {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}");
    }
}
