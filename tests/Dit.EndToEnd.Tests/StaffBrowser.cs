using Microsoft.Playwright;

namespace Dit.EndToEnd.Tests;

/// <summary>Debian's Chromium driven by Playwright, and a member of staff signing in to the staff pages as a person would.</summary>
public static class StaffBrowser
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> ChromiumAsync()
    {
        // A page waits on three services sharing two cores with the rest of the suite: 5 s, Playwright's default, is too
        // short on a slow day (a figures page once took longer under CI), so what a person would wait for gets 20 s.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// A new browser context that opens the coordinator page at <paramref name="frontEnd"/>, is sent to the provider's sign-in
    /// form, signs in as <paramref name="userName"/> and is back on the page once it has loaded its therapists.
    /// </summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, Uri frontEnd, string userName, string password,
        int width = 1280, int height = 800, Func<IPage, Task>? beforeSignIn = null)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        if (beforeSignIn is not null) await beforeSignIn(page);
        await page.GotoAsync(new Uri(frontEnd, "/coordinator/").ToString());
        await SignInAsync(page, userName, password);
        try
        {
            await page.Locator("#therapist option").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException error)
        {
            throw new TimeoutException($"Not back on the page after signing in: at {page.Url}, showing {await page.InnerTextAsync("body")}", error);
        }
        return page;
    }

    /// <summary>Fills in the development provider's sign-in form the page was sent to.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
