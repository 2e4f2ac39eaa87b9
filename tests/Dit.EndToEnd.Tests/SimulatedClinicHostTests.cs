using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;
using Microsoft.Playwright;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Issue 25: a newcomer starts the development host on a simulated clinic's months (<c>--simulated-clinic 20</c>, the
/// README's option) and finds a living clinic — full diaries, courses completed with their outcomes, a waiting time that
/// has grown, demand against capacity by the hour — rather than one test course. The README's screenshots of the
/// coordinator's page and the service figures come from here.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class SimulatedClinicHostTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task The_development_host_on_a_simulated_clinic_opens_on_twenty_weeks_of_a_living_clinic()
    {
        await using var host = ServiceProcess.For("host", new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Dit.Host.SimulatedClinic"] = "Information",
        }, arguments: ["--simulated-clinic", "20"]);
        await host.StartAsync();
        for (var waited = 0; waited < 1200 && !host.ReadWholeLog().Contains("weeks lived"); waited++) await Task.Delay(500);
        Assert.Contains("Simulated clinic: 20 weeks lived", host.ReadWholeLog());

        // Every mail once, though the clock jumped a day at a time under the mail queue's leases: no Message-ID twice.
        var mails = Directory.GetFiles(Path.Combine(host.WorkingDirectory, "data", "pickup"), "*.eml")
            .Select(file => MimeMessage.Header(File.ReadAllText(file), "Message-ID")).ToList();
        Assert.True(mails.Count > 200, $"months of invites; the pickup folder held {mails.Count}");
        Assert.Equal(mails.Count, mails.Distinct().Count());

        // The diaries: this week's sessions of the six demo therapists, some recorded as attended before today.
        using var coordinator = host.ClientWithKey("demo-coordinator-key");
        var therapists = (await coordinator.GetFromJsonAsync<JsonArray>("/api/therapists"))!;
        Assert.Equal(6, therapists.Count);
        var today = DateTime.UtcNow.Date;
        var sessions = 0;
        foreach (var therapist in therapists)
        {
            var diary = (await coordinator.GetFromJsonAsync<JsonObject>(
                $"/api/therapists/{therapist!["id"]}/diary?from={today.AddDays(-7):yyyy-MM-dd}&to={today.AddDays(7):yyyy-MM-dd}"))!;
            sessions += diary["sessions"]!.AsArray().Count;
        }
        Assert.True(sessions > 100, $"a living clinic's fortnight holds well over 100 sessions; the six diaries held {sessions}");

        // The clinical lead's figures: months of first sessions, completed courses, and where the hours fall short.
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var lead = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } })).NewPageAsync();
        await lead.GotoAsync(new Uri(host.BaseAddress, "/coordinator/").ToString());
        await StaffBrowser.SignInAsync(lead, "lead", "demo-lead");
        await lead.GetByRole(AriaRole.Link, new() { Name = "Service figures" }).ClickAsync();
        await Assertions.Expect(lead.Locator("#headline")).ToContainTextAsync("First session within 6 weeks");
        Assert.True(await lead.Locator("#first-chart rect.bar").CountAsync() >= 10, "first sessions drawn week by week over the months");
        Assert.Equal(35, await lead.Locator("#demand-chart g.cell").CountAsync());
        var outcome = await lead.Locator("#headline").InnerTextAsync();
        Assert.Matches(@"Courses ended\s*[1-9]", outcome);
        Directory.CreateDirectory(Screenshots);
        await lead.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "simulated-service-figures.png"), FullPage = true });

        // The coordinator's page: a late-shift therapist's week, full.
        var desk = await StaffBrowser.SignedInPageAsync(browser, host.BaseAddress, "coordinator", "demo-coordinator");
        await desk.Locator("#therapist").SelectOptionAsync(new SelectOptionValue { Label = "Tom Brennan" });
        await Assertions.Expect(desk.Locator("#diary button").First).ToBeVisibleAsync();
        Assert.True(await desk.Locator("#diary button").CountAsync() >= 10, "a late-shift therapist's week holds at least ten sessions");
        await desk.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "simulated-coordinator-page.png"), FullPage = true });
    }
}
