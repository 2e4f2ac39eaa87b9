using System.Net.Http.Json;
using Dit.Testing;
using Microsoft.Playwright;
using System.Text.Json.Nodes;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>The coordinator page in Debian's Chromium, driven by Playwright, through the staff front end against the three services over RabbitMQ.</summary>
public sealed class CoordinatorPageTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static object Referral(string reference, string earliest, string until = "21:00") => new
    {
        referrerReference = reference,
        patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = $"{reference}@example.org" },
        availability = new[] { new { day = "Tuesday", from = "17:00", to = until } },
        earliestStart = earliest,
        consent = new { email = true, sms = false },
    };

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name), FullPage = true });
    }

    [Fact]
    public async Task A_coordinator_signs_in_opens_a_booked_course_and_rebooks_session_3_to_an_alternative()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var earliest = new LocalDate(SystemClock.Instance.GetCurrentInstant().InUtc().Year + 1, 3, 1);
        var posted = await referrer.PostAsJsonAsync("/api/referrals", Referral("PAGE-1", earliest.ToString("yyyy-MM-dd", null)));
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
        var session3 = booked["booking"]!["sessions"]![2]!["localStart"]!.GetValue<string>();   // a Tuesday, 17:00
        await system.WaitForMailsAsync(1);
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        var page = await StaffBrowser.SignedInPageAsync(browser, DistributedSystem.BaseAddress(system.FrontEnd), "coordinator", "demo-coordinator");
        await Screenshot(page, "1-signed-in.png");
        // Signed in as the person: named on the page; the session is a cookie no script can read, nothing is kept in storage.
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Casey Coordinator (coordinator)");
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length + sessionStorage.length + document.cookie.length"));
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "dit-staff");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal(0, await page.EvaluateAsync<int>(
            "[...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).length"));
        await page.GetByLabel("Week of").FillAsync(session3[..10]);
        // From the keyboard: focus the session, press Enter.
        await page.GetByRole(AriaRole.Button, new() { Name = "AS, session 3 of 16" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var firstAlternative = page.Locator("#alternatives li button").First;
        await firstAlternative.WaitForAsync();
        await Screenshot(page, "2-session-3-alternatives.png");
        Assert.StartsWith("Move to", await firstAlternative.TextContentAsync());
        await firstAlternative.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Session 3 moved to");
        var newTime = $"{session3[..10]}T18:00";   // the nearest free time the same week
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "AS, session 3 of 16" })).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex(", 18:00, booked"));
        await Screenshot(page, "3-session-3-moved.png");
        await page.SetViewportSizeAsync(390, 844);
        await Screenshot(page, "4-narrow-screen.png");

        var mails = await system.WaitForMailsAsync(2);
        var update = MimeMessage.Parse(mails[^1]).Parts.Single(p => p.ContentType == "text/calendar");
        Assert.Equal("REQUEST", update.Parameters["method"]);
        var expected = booked["booking"]!["sessions"]!.AsArray().Select(s => s!["number"]!.GetValue<int>() == 3
            ? DateTimeOffset.Parse($"{newTime}:00Z").UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
            : s["startUtc"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        await IcsParsers.ExpectOccurrencesAsync(update.Body, expected);   // March, before the clocks change: UK time is UTC
    }

    [Fact]
    public async Task A_coordinator_offers_a_waiting_patient_the_nearest_hour_that_works_and_books_it_from_the_waitlist()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var earliest = new LocalDate(SystemClock.Instance.GetCurrentInstant().InUtc().Year + 1, 3, 1).ToString("yyyy-MM-dd", null);
        // Three patients who can come only on Tuesdays at 17:00: the first two take that hour for 32 weeks, the third waits.
        var locations = new List<Uri>();
        foreach (var reference in new[] { "WAIT-1", "WAIT-2" })
        {
            var posted = await referrer.PostAsJsonAsync("/api/referrals", Referral(reference, earliest, until: "18:00"));
            await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
            locations.Add(posted.Headers.Location!);
        }
        var third = await referrer.PostAsJsonAsync("/api/referrals", Referral("WAIT-3", earliest, until: "18:00"));
        var waiting = await ReferralToInviteTests.PollUntilAsync(referrer, third.Headers.Location!, "waitlisted");
        var name = $"Referral {waiting["id"]!.GetValue<string>()[..8]}";
        var firstTuesday = new LocalDate(int.Parse(earliest[..4], null), 3, 1).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Tuesday));
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        var page = await StaffBrowser.SignedInPageAsync(browser, DistributedSystem.BaseAddress(system.FrontEnd), "coordinator", "demo-coordinator");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Other times that would work for {name}" }).ClickAsync();

        // The hour either side of the patient's own comes first, each with the first session it would give.
        var offered = page.Locator("#waitlist li li");
        await Assertions.Expect(offered).ToHaveCountAsync(3);
        await Assertions.Expect(offered.First).ToContainTextAsync($"Tuesday 16:00–17:00: first session Tuesday {firstTuesday.Day} March {firstTuesday.Year}, 16:00");
        await Screenshot(page, "5-waitlist-suggestions.png");
        var add = page.GetByRole(AriaRole.Button, new() { Name = $"Add Tuesday 16:00–17:00 for {name} and book" });
        await add.ClickAsync();
        await Assertions.Expect(page.Locator("#alert")).ToContainTextAsync("Required (what the patient agreed to)");
        await offered.First.GetByLabel("Patient agreed (reason)").FillAsync("Patient agreed by phone to 16:00");
        await add.ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"{name} booked: first session Tuesday {firstTuesday.Day} March {firstTuesday.Year}, 16:00.");
        await Assertions.Expect(page.Locator("#waitlist")).ToHaveTextAsync("Nobody is waiting.");
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, third.Headers.Location!, "booked");
        Assert.Equal($"{firstTuesday:yyyy-MM-dd}T16:00", booked["booking"]!["sessions"]![0]!["localStart"]!.GetValue<string>()[..16]);

        // The second patient is booked behind the first, sixteen weeks on: a late start. Six o'clock, which they agree to,
        // brings the same course forward to the first Tuesday; the patient's invite is updated, not sent again.
        var lateStarts = page.Locator("#late-starts > li");
        await Assertions.Expect(lateStarts).ToHaveCountAsync(1);
        await Assertions.Expect(lateStarts.First).ToContainTextAsync("17:00 with Dr Asha Patel, 16 weeks after the patient could start");
        await lateStarts.First.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sooner times that would work for") }).ClickAsync();
        var sooner = page.Locator("#late-starts li li");
        await Assertions.Expect(sooner.First).ToContainTextAsync($"Tuesday 18:00–19:00: first session Tuesday {firstTuesday.Day} March {firstTuesday.Year}, 18:00");
        await Screenshot(page, "6-late-start-sooner-times.png");
        await sooner.First.GetByLabel("Patient agreed (reason)").FillAsync("Patient agreed by phone to 18:00");
        await sooner.First.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Add Tuesday 18:00–19:00 for") }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync($"booked: first session Tuesday {firstTuesday.Day} March {firstTuesday.Year}, 18:00.");
        await Assertions.Expect(page.Locator("#late-starts")).ToHaveTextAsync("Every booked course starts within 6 weeks.");
        Assert.True(await Waiting.EventuallyAsync(async () =>
            (await referrer.GetFromJsonAsync<JsonObject>(locations[1]))!["booking"]!["sessions"]![0]!["localStart"]!.GetValue<string>().StartsWith($"{firstTuesday:yyyy-MM-dd}T18:00"),
            TimeSpan.FromSeconds(20)), "The referrer sees the course brought forward to the first Tuesday at 18:00.");
        var mails = await system.WaitForMailsAsync(4);
        var update = MimeMessage.Parse(mails.Single(m => m.Contains("Your therapy starts sooner")));
        Assert.Equal("REQUEST", update.Parts.Single(p => p.ContentType == "text/calendar").Parameters["method"]);
    }

    [Fact]
    public async Task Two_coordinators_moving_into_the_same_slot_the_second_sees_a_clear_conflict_and_fresh_alternatives()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var earliest = new LocalDate(SystemClock.Instance.GetCurrentInstant().InUtc().Year + 1, 3, 1).ToString("yyyy-MM-dd", null);
        var first = await referrer.PostAsJsonAsync("/api/referrals", Referral("PAGE-A", earliest));
        await ReferralToInviteTests.PollUntilAsync(referrer, first.Headers.Location!, "booked");
        var second = await referrer.PostAsJsonAsync("/api/referrals", Referral("PAGE-B", earliest));
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, second.Headers.Location!, "booked");
        var week = booked["booking"]!["sessions"]![2]!["localStart"]!.GetValue<string>()[..10];
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        var coordinatorA = await StaffBrowser.SignedInPageAsync(browser, DistributedSystem.BaseAddress(system.FrontEnd), "coordinator", "demo-coordinator");
        var coordinatorB = await StaffBrowser.SignedInPageAsync(browser, DistributedSystem.BaseAddress(system.FrontEnd), "coordinator", "demo-coordinator");
        foreach (var page in new[] { coordinatorA, coordinatorB }) await page.GetByLabel("Week of").FillAsync(week);
        await coordinatorA.GetByRole(AriaRole.Button, new() { Name = ", 17:00, booked" }).ClickAsync();
        await coordinatorB.GetByRole(AriaRole.Button, new() { Name = ", 18:00, booked" }).ClickAsync();
        var slot = $"Move to {Describe(week)}, 19:00";
        await coordinatorA.GetByRole(AriaRole.Button, new() { Name = slot, Exact = true }).WaitForAsync();
        await coordinatorB.GetByRole(AriaRole.Button, new() { Name = slot, Exact = true }).WaitForAsync();

        await coordinatorA.GetByRole(AriaRole.Button, new() { Name = slot, Exact = true }).ClickAsync();
        await Assertions.Expect(coordinatorA.Locator("#status")).ToContainTextAsync("moved to");
        await coordinatorB.GetByRole(AriaRole.Button, new() { Name = slot, Exact = true }).ClickAsync();

        await Assertions.Expect(coordinatorB.Locator("#alert")).ToContainTextAsync("That time was taken meanwhile");
        await Assertions.Expect(coordinatorB.GetByRole(AriaRole.Button, new() { Name = slot, Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(coordinatorB.GetByRole(AriaRole.Button, new() { Name = ", 19:00, booked" })).ToHaveCountAsync(1);
        await Screenshot(coordinatorB, "5-conflict.png");
    }

    [Fact]
    public async Task A_week_asked_for_while_the_first_one_still_loads_is_the_week_shown_whichever_answer_comes_last()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var referrer = await system.NewReferrerAsync("North Talking Therapies");
        var earliest = new LocalDate(SystemClock.Instance.GetCurrentInstant().InUtc().Year + 1, 3, 1).ToString("yyyy-MM-dd", null);
        var posted = await referrer.PostAsJsonAsync("/api/referrals", Referral("PAGE-SLOW", earliest));
        var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
        var week = booked["booking"]!["sessions"]![0]!["localStart"]!.GetValue<string>()[..10];
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;

        // The diary of the current week (loaded at sign-in) answers slowly; the coordinator meanwhile asks for the course's week.
        var staleAnswered = new TaskCompletionSource();
        var first = true;
        var page = await StaffBrowser.SignedInPageAsync(browser, DistributedSystem.BaseAddress(system.FrontEnd), "coordinator", "demo-coordinator", beforeSignIn: p =>
            p.RouteAsync("**/api/therapists/*/diary*", async route =>
            {
                var slow = first;
                first = false;
                if (slow) await Task.Delay(2000);
                await route.ContinueAsync();
                if (slow) staleAnswered.TrySetResult();
            }));
        await page.GetByLabel("Week of").FillAsync(week);
        await staleAnswered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = ", 17:00, booked" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Week of")).ToHaveValueAsync(DateTime.Parse(week).AddDays(-((int)DateTime.Parse(week).DayOfWeek + 6) % 7).ToString("yyyy-MM-dd"));
    }

    private static string Describe(string isoDate)
    {
        var date = DateTime.Parse(isoDate);
        return $"{date:dddd} {date.Day} {date:MMMM} {date.Year}";
    }
}
