using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Referrals;
using Dit.Testing;
using Dit.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// A therapist signed in as themselves: linked to their therapist record by an administrator, they see their own diary
/// and caseload and record attendance and scores for their own sessions; another therapist's patient is not found.
/// </summary>
public sealed class TherapistAccessTests
{
    [Fact]
    public async Task A_therapist_sees_and_records_for_their_own_patients_and_another_therapists_patient_is_404()
    {
        await using var clinic = await StaffClinic.StartAsync();
        using var admin = clinic.Client("Bearer", await clinic.AccessTokenAsync("admin", "demo-admin"));
        using var asha = clinic.Client("Bearer", await clinic.AccessTokenAsync("therapist", "demo-therapist"));
        using var sam = clinic.Client("Bearer", await clinic.AccessTokenAsync("therapist2", "test-therapist2"));

        Assert.Equal(HttpStatusCode.NotFound, (await asha.GetAsync("/api/me")).StatusCode);   // not linked yet
        var ashaId = (await admin.GetFromJsonAsync<JsonArray>("/api/therapists"))!.Single()!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/therapists/{ashaId}/user", new { userId = "demo-therapist" })).StatusCode);
        var samTherapist = await admin.PostAsJsonAsync("/api/therapists", new
        {
            name = "Sam Second", maxSessionsPerWeek = 20, workingHours = new[] { new { day = "Tuesday", from = "09:00", to = "17:00" } },
        });
        var samId = (await samTherapist.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/therapists/{samId}/user", new { userId = "demo-therapist" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/therapists/{samId}/user", new { userId = "test-therapist-2" })).StatusCode);

        // A referral for Mondays: booked with Dr Asha Patel.
        var booked = await clinic.BookMondayCourseAsync("THERAPIST-1");
        var courseId = booked["booking"]!["courseId"]!.GetValue<string>();
        var first = booked["booking"]!["sessions"]![0]!;

        Assert.Equal("Dr Asha Patel", (await asha.GetFromJsonAsync<JsonObject>("/api/me"))!["name"]!.GetValue<string>());
        var caseload = (await asha.GetFromJsonAsync<JsonArray>("/api/me/caseload"))!;
        Assert.Equal((courseId, 1, 16), (caseload.Single()!["courseId"]!.GetValue<string>(), caseload.Single()!["nextSession"]!.GetValue<int>(),
            caseload.Single()!["sessions"]!.GetValue<int>()));
        var week = first["localStart"]!.GetValue<string>()[..10];
        Assert.Equal(HttpStatusCode.OK, (await asha.GetAsync($"/api/therapists/{ashaId}/diary?from={week}&to={week}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asha.GetAsync($"/api/therapists/{samId}/diary?from={week}&to={week}")).StatusCode);

        // Her patient's name and contact details come from referrals (scheduling holds none), once it has learnt who she is.
        var patients = await OwnPatientsAsync(asha, found => found.Count > 0);
        var patient = patients.Single()!;
        Assert.Equal((booked["id"]!.GetValue<string>(), "Alex", "Smith", "9434765919", "alex@example.org", true, false),
            (patient["referralId"]!.GetValue<string>(), patient["givenName"]!.GetValue<string>(), patient["familyName"]!.GetValue<string>(),
                patient["nhsNumber"]!.GetValue<string>(), patient["email"]!.GetValue<string>(), patient["agreedToEmail"]!.GetValue<bool>(),
                patient["agreedToTexts"]!.GetValue<bool>()));
        Assert.Equal(patient["referralId"]!.GetValue<string>(), caseload.Single()!["referralId"]!.GetValue<string>());

        // Sam, another therapist: Asha's patient is not found, whatever he asks.
        var appointmentId = await AppointmentAsync(clinic, courseId, 1);
        Assert.Empty((await sam.GetFromJsonAsync<JsonArray>("/api/me/caseload"))!);
        Assert.Empty((await sam.GetFromJsonAsync<JsonArray>("/api/me/patients"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/api/courses/{courseId}/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/api/therapists/{ashaId}/diary?from={week}&to={week}")).StatusCode);
        clinic.Clock.Set(Instant.FromDateTimeOffset(first["startUtc"]!.GetValue<DateTimeOffset>()) + Duration.FromMinutes(55));
        Assert.Equal(HttpStatusCode.NotFound, (await sam.PostAsJsonAsync($"/api/appointments/{appointmentId}/attendance", new { outcome = "dna" })).StatusCode);
        var scores = new { phq9 = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 }, gad7 = new[] { 1, 1, 1, 1, 1, 1, 1 }, wsas = new[] { 1, 1, 1, 1, 1 } };
        Assert.Equal(HttpStatusCode.NotFound, (await sam.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", scores)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.PostAsync($"/api/courses/{courseId}/clinical-review/reviewed", null)).StatusCode);

        // Asha, after the session: attendance and scores for her own patient, on the trail as her.
        Assert.Equal(HttpStatusCode.OK, (await asha.PostAsJsonAsync($"/api/appointments/{appointmentId}/attendance", new { outcome = "attended" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asha.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", scores)).StatusCode);
        // Item 9 answered above 0 at session 1: on Asha's own review list, not on Sam's; she marks it reviewed.
        var withItem9 = new { phq9 = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, gad7 = new[] { 1, 1, 1, 1, 1, 1, 1 }, wsas = new[] { 1, 1, 1, 1, 1 } };
        Assert.Equal(HttpStatusCode.OK, (await asha.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", withItem9)).StatusCode);
        Assert.Empty((await sam.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!);
        Assert.Equal(courseId, (await asha.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!.Single()!["courseId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await sam.PostAsync($"/api/courses/{courseId}/clinical-review/reviewed", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asha.PostAsync($"/api/courses/{courseId}/clinical-review/reviewed", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asha.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", scores)).StatusCode);
        var after = (await asha.GetFromJsonAsync<JsonArray>("/api/me/caseload"))!.Single()!;
        Assert.Equal((2, 8, 7, false), (after["nextSession"]!.GetValue<int>(), after["phq9"]!.GetValue<int>(), after["gad7"]!.GetValue<int>(),
            after["questionnaireMissing"]!.GetValue<bool>()));
        await using var connection = await clinic.Services.Services.GetRequiredService<SchedulingDatabase>().OpenAsync();
        var actors = (await connection.QueryAsync<(string Role, string Id, string Action)>(
            "select actor_role, actor_id, action from audit_trail where course_id = @courseId and action in ('session.attendance', 'scores.recorded') order by seq",
            new { courseId })).ToList();
        Assert.Equal([("therapist", "demo-therapist", "session.attendance"), ("therapist", "demo-therapist", "scores.recorded"),
            ("therapist", "demo-therapist", "scores.recorded"), ("therapist", "demo-therapist", "scores.recorded")], actors);
        // Her look at the patient's name and contact details is on referrals' trail, as her.
        await using var referrals = await clinic.Services.Services.GetRequiredService<ReferralsDatabase>().OpenAsync();
        Assert.Equal([("therapist", "demo-therapist")], (await referrals.QueryAsync<(string, string)>(
            "select actor_role, actor_id from audit_trail where referral_id = @id and action = 'patient.read'",
            new { id = booked["id"]!.GetValue<string>() })).Distinct().ToList());

        // Reassigned to Sam (who now works Mondays too) from session 2: his patient now, no longer hers.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/therapists/{samId}/working-hours",
            new[] { new { day = "Monday", from = "09:00", to = "17:00" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinic.Client("Bearer", await clinic.AccessTokenAsync("coordinator", "demo-coordinator"))
            .PostAsJsonAsync($"/api/courses/{courseId}/reassign", new { fromSession = 2, therapistId = samId })).StatusCode);
        Assert.Equal("Alex", (await OwnPatientsAsync(sam, found => found.Count == 1)).Single()!["givenName"]!.GetValue<string>());
        Assert.Empty(await OwnPatientsAsync(asha, found => found.Count == 0));
    }

    [Fact]
    public async Task A_patient_who_stops_emails_from_the_link_in_their_invite_is_shown_so_to_their_therapist_and_the_coordinators()
    {
        await using var clinic = await StaffClinic.StartAsync();
        await clinic.LinkTherapistAsync("demo-therapist");
        var booked = await clinic.BookMondayCourseAsync("STOP-EMAILS");
        // The invite as it went to the patient (the pickup folder is shared; the mail queue names the referral).
        var text = await Waiting.ForAsync(async () =>
        {
            await using var notifications = await clinic.Services.Services.GetRequiredService<Dit.Notifications.NotificationsDatabase>().OpenAsync();
            return await notifications.ExecuteScalarAsync<string?>("select text_body from outgoing_mail where referral_id = @id and kind = 'invite' and sent_at is not null",
                new { id = booked["id"]!.GetValue<string>() });
        }, body => body is not null, TimeSpan.FromSeconds(15));
        var stop = new Uri(System.Text.RegularExpressions.Regex.Match(text!, @"To stop emails from us: (\S+)").Groups[1].Value).AbsolutePath;

        using var patient = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(clinic.Services) };
        Assert.Contains("Stop emails from DIT Talking Therapies?", await patient.GetStringAsync(stop));
        Assert.Contains("You will get no more emails from us", await (await patient.PostAsync(stop, null)).Content.ReadAsStringAsync());

        // Referrals withdraws the consent: her therapist sees it; the caseload and the coordinators' list say so.
        using var asha = clinic.Client("Bearer", await clinic.AccessTokenAsync("therapist", "demo-therapist"));
        var patients = await OwnPatientsAsync(asha, found => found.Count == 1 && !found[0]!["agreedToEmail"]!.GetValue<bool>());
        Assert.Equal("Alex", patients.Single()!["givenName"]!.GetValue<string>());
        var caseload = await Waiting.ForAsync(async () => (await asha.GetFromJsonAsync<JsonArray>("/api/me/caseload"))!,
            found => found.Single()!["messageProblem"] is not null, TimeSpan.FromSeconds(15));
        Assert.Equal("Email: The patient stopped emails", caseload.Single()!["messageProblem"]!.GetValue<string>());
        using var coordinator = clinic.Client("Bearer", await clinic.AccessTokenAsync("coordinator", "demo-coordinator"));
        var listed = (await coordinator.GetFromJsonAsync<JsonArray>("/api/mail/undeliverable/"))!.Single()!;
        Assert.Equal((booked["id"]!.GetValue<string>(), "stopped", "email"),
            (listed["referralId"]!.GetValue<string>(), listed["kind"]!.GetValue<string>(), listed["channel"]!.GetValue<string>()));
        await using var referrals = await clinic.Services.Services.GetRequiredService<ReferralsDatabase>().OpenAsync();
        Assert.Equal(1, await referrals.ExecuteScalarAsync<long>("select count(*) from referral_history where referral_id = @id and detail like 'The patient stopped emails%'",
            new { id = booked["id"]!.GetValue<string>() }));
    }

    /// <summary>The therapist's patients from referrals, once <paramref name="settled"/> (it learns bookings and who is who over the bus).</summary>
    public static async Task<JsonArray> OwnPatientsAsync(HttpClient therapist, Func<JsonArray, bool> settled) =>
        await Waiting.ForAsync(async () => (await therapist.GetFromJsonAsync<JsonArray>("/api/me/patients"))!, settled, TimeSpan.FromSeconds(15));

    [Fact]
    public async Task On_a_phone_a_therapist_records_attendance_in_one_tap_and_the_scores_for_todays_session()
    {
        await using var clinic = await StaffClinic.StartAsync();
        await clinic.LinkTherapistAsync("demo-therapist");
        var booked = await clinic.BookMondayCourseAsync("THERAPIST-PHONE");
        using (var asha = clinic.Client("Bearer", await clinic.AccessTokenAsync("therapist", "demo-therapist")))
            await OwnPatientsAsync(asha, found => found.Count == 1);
        // The service's clock at 55 minutes into session 1: the page goes by it (today, this week, started).
        clinic.Clock.Set(Instant.FromDateTimeOffset(booked["booking"]!["sessions"]![0]!["startUtc"]!.GetValue<DateTimeOffset>()) + Duration.FromMinutes(55));
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var phone = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true })).NewPageAsync();

        await phone.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/").ToString());
        await StaffBrowser.SignInAsync(phone, "therapist", "demo-therapist");
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#today")).ToContainTextAsync("Alex Smith, session 1 of 16: booked");
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#caseload a[href='mailto:alex@example.org']")).ToBeVisibleAsync();
        // Today's session has the course's video room to join.
        var join = phone.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Join the video session: Alex Smith, session 1" });
        Assert.StartsWith("https://video.example.nhs.uk/dit/", await join.GetAttributeAsync("href"));
        Assert.EndsWith("/coordinator/therapist.html", phone.Url);
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page fits a phone's width");
        await phone.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Attended: AS, session 1" }).TapAsync();
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#status")).ToHaveTextAsync("Attended recorded for AS, session 1.");
        await Microsoft.Playwright.Assertions.Expect(phone.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Attended: AS, session 1" }))
            .ToHaveAttributeAsync("aria-pressed", "true");

        await phone.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Scores: AS, session 1" }).TapAsync();
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#therapist-scores select")).ToHaveCountAsync(9 + 7 + 5);   // PHQ-9, GAD-7, WSAS at session 1
        foreach (var select in await phone.Locator("#therapist-scores select").AllAsync()) await select.SelectOptionAsync("1");
        await phone.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Save scores for session 1" }).TapAsync();
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#status")).ToHaveTextAsync("Scores saved for AS, session 1.");
        // PHQ-9 nine items at 1, GAD-7 seven: the caseload shows them (and item 9 above 0 waits for review).
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#caseload")).ToContainTextAsync("PHQ-9 9, GAD-7 7");
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#caseload")).ToContainTextAsync("clinical review waiting");
        await phone.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Mark reviewed: AS's course" }).TapAsync();
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#status")).ToHaveTextAsync("AS's course marked reviewed.");
        await Microsoft.Playwright.Assertions.Expect(phone.Locator("#caseload")).Not.ToContainTextAsync("clinical review waiting");
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await phone.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "therapist-phone.png"), FullPage = true });
    }

    private static async Task<string> AppointmentAsync(StaffClinic clinic, string courseId, int number)
    {
        await using var connection = await clinic.Services.Services.GetRequiredService<SchedulingDatabase>().OpenAsync();
        return await connection.QuerySingleAsync<string>("select id from appointments where course_id = @courseId and session_number = @number",
            new { courseId, number });
    }
}
