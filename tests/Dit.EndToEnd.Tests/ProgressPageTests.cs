using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dit.Testing;
using Microsoft.Playwright;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// The patient's questionnaire and the course's progress in Debian's Chromium, against the three services over RabbitMQ
/// on one settable clock: the link arrives with the reminder, the patient answers on a phone, item 9 reaches the clinic.
/// </summary>
public sealed class ProgressPageTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static async Task Screenshot(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name), FullPage = fullPage });
    }

    [Fact]
    public async Task A_patient_answers_on_a_phone_through_the_reminders_link_and_item_9_reaches_the_clinic_with_the_course_chart()
    {
        var clock = new SettableClock(Instant.FromUtc(2027, 2, 22, 9, 0));
        await using var system = await DistributedSystem.StartAsync(clock);
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var posted = await referrer.PostAsJsonAsync("/api/referrals", new
        {
            referrerReference = "PROGRESS-1",
            patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = "alex@example.org" },
            availability = new[] { new { day = "Tuesday", from = "17:00", to = "21:00" } },
            earliestStart = "2027-03-01",
            consent = new { email = true, sms = false, questionnaires = true },
        });
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
        Assert.Equal("2027-03-02T17:00", booked["booking"]!["sessions"]![0]!["localStart"]!.GetValue<string>());
        await system.WaitForMailsAsync(1);

        // A day before session 1 the reminder goes, with the link.
        clock.Set(Instant.FromUtc(2027, 3, 1, 17, 1));
        var reminder = (await system.WaitForMailsAsync(2)).Single(m => m.Contains("Subject: Reminder"));
        var scheduling = DistributedSystem.BaseAddress(system.Scheduling);
        var link = Regex.Match(MimeMessage.Parse(reminder).Parts[0].Body, @"http://\S+/questionnaire/[A-Za-z0-9_-]+").Value;
        Assert.StartsWith(scheduling.ToString(), link);

        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var phone = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true })).NewPageAsync();
        var requested = new List<string>();
        phone.Request += (_, request) => requested.Add(request.Url);
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "How you have been: session 1" })).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the form fits a phone's width");
        await Screenshot(phone, "questionnaire-phone.png", fullPage: false);

        // Half-filled: refused, each unanswered question named, the summary's links lead to them.
        await phone.GetByRole(AriaRole.Group, new() { Name = "1. Little interest or pleasure in doing things" }).GetByLabel("Several days").CheckAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        var summary = phone.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Some answers are missing" });
        await Assertions.Expect(summary).ToBeVisibleAsync();
        Assert.Equal(20, await summary.GetByRole(AriaRole.Link).CountAsync());   // 9 + 7 + 5 questions, one answered
        await Assertions.Expect(phone.GetByRole(AriaRole.Group, new() { Name = "1. Little interest or pleasure in doing things" }).GetByLabel("Several days")).ToBeCheckedAsync();
        await Screenshot(phone, "questionnaire-refused.png");

        // Every question answered (the third answer: PHQ-9 17 with item 9 at 1, GAD-7 14 — a case), item 9 above 0.
        foreach (var group in await phone.Locator("fieldset.item").AllAsync())
        {
            var legend = await group.Locator("legend").TextContentAsync();
            var answer = legend!.StartsWith("9. Thoughts") ? "Several days" : await group.Locator("label").Nth(2).TextContentAsync();
            await group.GetByLabel(answer!.Trim(), new() { Exact = true }).CheckAsync();
        }
        await phone.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        var urgent = phone.GetByRole(AriaRole.Alert);
        await Assertions.Expect(urgent).ToContainTextAsync("thoughts of being better off dead or of hurting yourself");
        await Assertions.Expect(urgent).ToContainTextAsync("not an emergency service");
        await Assertions.Expect(urgent.GetByRole(AriaRole.Link, new() { Name = "116 123" })).ToHaveAttributeAsync("href", "tel:116123");
        await Screenshot(phone, "questionnaire-item-9.png");
        Assert.All(requested, url => Assert.StartsWith(scheduling.ToString(), url));   // nothing loaded from elsewhere

        // The clinic: a few more sessions scored from the room (a clinical lead's script), then the page, as the clinic's
        // coordinator who is also its clinical lead.
        var coordinator = await system.NewStaffKeyAsync("Scores from the room", "clinical-lead");
        var courseId = booked["booking"]!["courseId"]!.GetValue<string>();
        foreach (var (session, phq9Each, gad7Each) in new[] { (2, 2, 2), (3, 1, 2), (4, 1, 1), (5, 1, 1), (6, 0, 1) })
            (await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{session}/scores",
                new { phq9 = Enumerable.Repeat(phq9Each, 8).Append(0), gad7 = Enumerable.Repeat(gad7Each, 7) })).EnsureSuccessStatusCode();

        // The clinical lead alone: the review list and, from it, the course's progress — no diary, no booking actions.
        var lead = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await lead.GotoAsync(new Uri(DistributedSystem.BaseAddress(system.FrontEnd), "/coordinator/").ToString());
        await StaffBrowser.SignInAsync(lead, "lead", "demo-lead");
        await Assertions.Expect(lead.Locator("#clinical-review")).ToContainTextAsync("AS with Dr Asha Patel: PHQ-9 item 9 above 0 at session 1");
        await Assertions.Expect(lead.Locator("#diary-title")).ToBeHiddenAsync();
        await lead.GetByRole(AriaRole.Button, new() { Name = "Open course: AS" }).ClickAsync();
        await Assertions.Expect(lead.Locator("#progress-chart")).ToBeVisibleAsync();
        await Assertions.Expect(lead.GetByRole(AriaRole.Button, new() { Name = "Cancel whole course" })).ToBeHiddenAsync();
        // Who looked at or changed the referral, from all three services: the referrer's submission, the lead's own looks.
        await Assertions.Expect(lead.Locator("#trail-table")).ToContainTextAsync("referral.submitted");
        await Assertions.Expect(lead.Locator("#trail-table")).ToContainTextAsync("Dr Lee Lead (clinical lead)");
        await Assertions.Expect(lead.Locator("#trail-table")).ToContainTextAsync("progress.read");
        var download = await lead.RunAndWaitForDownloadAsync(() => lead.GetByRole(AriaRole.Link, new() { Name = "scheduling" }).ClickAsync());
        Assert.StartsWith("row,at,actorRole", await File.ReadAllTextAsync((await download.PathAsync())!));
        await Screenshot(lead, "clinical-lead.png");

        var desk = await StaffBrowser.SignedInPageAsync(browser, DistributedSystem.BaseAddress(system.FrontEnd), "desk", "test-desk", height: 900);
        await Assertions.Expect(desk.Locator("#clinical-review")).ToContainTextAsync("AS with Dr Asha Patel: PHQ-9 item 9 above 0 at session 1");
        await desk.GetByLabel("Week of").FillAsync("2027-03-08");
        await desk.GetByRole(AriaRole.Button, new() { Name = "AS, session 2 of 16" }).ClickAsync();

        // What a coordinator may know of the questionnaires: that they were answered.
        await Assertions.Expect(desk.Locator("#session-details")).ToContainTextAsync("Tuesday 2 March 2027, 17:00 – booked, questionnaire done");
        var chart = desk.Locator("#progress-chart");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.Equal(6, await chart.Locator("circle.phq9").CountAsync());
        Assert.Equal(6, (await chart.Locator("polyline.phq9").GetAttributeAsync("points"))!.Split(' ').Length);
        Assert.Equal(1, await chart.Locator("line.caseness.phq9").CountAsync());
        Assert.Equal(3, await chart.Locator("rect.phase").CountAsync());
        await Assertions.Expect(chart.Locator("title")).ToContainTextAsync("session 1 PHQ-9 17, GAD-7 14");
        await Assertions.Expect(desk.Locator("#outcome")).ToContainTextAsync("Outcome so far (sessions 1 to 6, 6 scored): Reliable recovery");
        await Assertions.Expect(desk.Locator("#scores")).ToContainTextAsync("⚠ item 9");

        // Session 2's scores corrected from the page's form, item by item.
        foreach (var select in await desk.Locator("#score-form select").AllAsync()) await select.SelectOptionAsync("0");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Save scores for session 2" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#status")).ToContainTextAsync("Scores saved for session 2");
        await Assertions.Expect(chart.Locator("title")).ToContainTextAsync("session 2 PHQ-9 0, GAD-7 0");
        await desk.Locator("#progress-details").ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "progress-chart.png") });

        await desk.GetByRole(AriaRole.Button, new() { Name = "Mark reviewed: AS's course" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#clinical-review")).ToContainTextAsync("No course waiting for clinical review");

        // The clinic lead's figures the day after session 1, in the same tab (the same session): referred 22 February, first
        // session 2 March, within 6 weeks.
        clock.Set(Instant.FromUtc(2027, 3, 3, 9, 0));
        await desk.GetByRole(AriaRole.Link, new() { Name = "Service figures" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#headline")).ToContainTextAsync("First session within 6 weeks");
        await Assertions.Expect(desk.Locator("#headline")).ToContainTextAsync("100 % of 1");
        Assert.Equal(1, await desk.Locator("#first-chart rect.bar.within6").CountAsync());
        Assert.Equal(1, await desk.Locator("#utilisation-chart rect.bar.booked").CountAsync());
        // Demand against capacity: seven weekdays by five bands. AS, referred in the last 12 weeks, can come Tuesdays 17:00–21:00:
        // three of her four hour slots fall in 17–20, so 1/12 referrals a week × 16 sessions × 3/4 = 1 session a week there.
        Assert.Equal(35, await desk.Locator("#demand-chart g.cell").CountAsync());
        await Assertions.Expect(desk.Locator("#demand-chart g.cell[data-cell='Tuesday 17–20'] title")).ToContainTextAsync("Tuesday 17–20: demand 1 a week against");
        Assert.Equal(17, (await desk.Locator("#projection-chart polyline.projection").GetAttributeAsync("points"))!.Split(' ').Length);
        await Assertions.Expect(desk.Locator("#headline")).ToContainTextAsync("Sessions a week short");
        await Screenshot(desk, "service-figures.png");
    }

    [Fact]
    public async Task A_course_extended_to_20_reaches_the_referrer_and_the_patients_calendar_with_all_20_sessions()
    {
        var clock = new SettableClock(Instant.FromUtc(2027, 2, 22, 9, 0));
        await using var system = await DistributedSystem.StartAsync(clock);
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(8, 0), new LocalTime(23, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var (_, key) = await system.NewCoordinatorAsync("Clinic coordinator");
        var posted = await referrer.PostAsJsonAsync("/api/referrals", new
        {
            referrerReference = "EXTEND-1",
            patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = "alex@example.org" },
            availability = new[] { new { day = "Wednesday", from = "09:00", to = "12:00" } },
            earliestStart = "2027-03-01",
            consent = new { email = true, sms = false },
        });
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
        await system.WaitForMailsAsync(1);
        var coordinator = DistributedSystem.ClientFor(system.Scheduling, key);

        var extended = await coordinator.PostAsJsonAsync($"/api/courses/{booked["booking"]!["courseId"]!.GetValue<string>()}/extend", new { sessions = 20 });

        extended.EnsureSuccessStatusCode();
        var sessions = (await extended.Content.ReadFromJsonAsync<JsonObject>())!["sessions"]!.AsArray();
        Assert.Equal(20, sessions.Count);
        var update = MimeMessage.Parse((await system.WaitForMailsAsync(2))[^1]);
        var calendar = update.Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("REQUEST", calendar.Parameters["method"]);
        // Wednesdays 09:00 London from 3 March 2027: across the clock change, so UTC moves an hour from April.
        await IcsParsers.ExpectOccurrencesAsync(calendar.Body,
            sessions.Select(s => s!["startUtc"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        Assert.Equal("2027-07-14T09:00", sessions[19]!["localStart"]!.GetValue<string>());
        for (var i = 0; i < 40; i++)
        {
            var seen = await referrer.GetFromJsonAsync<JsonObject>(posted.Headers.Location!);
            if (seen!["booking"]!["sessions"]!.AsArray().Count == 20) return;
            await Task.Delay(250);
        }
        Assert.Fail("The referrer never saw the 20 sessions.");
    }
}
