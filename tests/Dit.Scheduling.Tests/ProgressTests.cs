using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling.Progress;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

/// <summary>Scores, the questionnaire link, clinical review, outcome, extension and ending — through the scheduling service's HTTP surface.</summary>
public sealed class ProgressTests
{
    private static readonly AvailabilityWindow TuesdayEvening = new(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0));

    /// <summary>One evening therapist, a coordinator, a Tuesday 17:00 course from 2 March 2027 (UTC in March: 17:00Z).</summary>
    private static async Task<(SchedulingApp App, HttpClient Coordinator, string CourseId, SettableClock Clock)> BookedCourseAsync(string provider)
    {
        var clock = new SettableClock(SchedulingApp.DefaultNow);
        var app = await SchedulingApp.StartAsync(provider, clock);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var coordinator = await app.NewStaffAsync("Coordinator and clinical lead", "coordinator", "clinical-lead");
        await app.Services.GetRequiredService<IBus>().Publish(new ReferralForBooking(Guid.NewGuid(), "referrer-1", [TuesdayEvening],
            new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        return (app, coordinator, await app.ScalarAsync<string>("select id from courses"), clock);
    }

    private static object Scores(int phq9Each, int gad7Each, int? wsasEach = null, int item9 = 0) => new
    {
        phq9 = Enumerable.Repeat(phq9Each, 8).Append(item9).ToArray(),
        gad7 = Enumerable.Repeat(gad7Each, 7).ToArray(),
        wsas = wsasEach is null ? null : Enumerable.Repeat(wsasEach.Value, 5).ToArray(),
    };

    private static async Task<List<T>> OutboxAsync<T>(SchedulingApp app)
    {
        await using var connection = await app.Database.OpenAsync();
        return (await connection.QueryAsync<string>("select body from outbox where message_type = @type order by created_at", new { type = typeof(T).FullName }))
            .Select(body => JsonSerializer.Deserialize<T>(body, MessageJson.Options)!).ToList();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_coordinator_records_scores_item_by_item_and_a_half_filled_form_is_refused_naming_each_item(string provider)
    {
        var (app, coordinator, courseId, _) = await BookedCourseAsync(provider);
        await using var _ = app;

        var half = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores",
            new { phq9 = new int?[] { 1, 1, 1, null, 1, 1, 1, 1, 0 }, gad7 = new[] { 1, 1, 1, 1, 1, 1, 9 } });
        Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
        var errors = (await half.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["gad7.7", "phq9.4", "wsas.1", "wsas.2", "wsas.3", "wsas.4", "wsas.5"], errors.Select(e => e.Key).Order());
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from session_scores"));

        var saved = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", Scores(2, 2, wsasEach: 4));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/2/scores", Scores(1, 1));
        var progress = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/progress"))!;
        var sessions = progress["sessions"]!.AsArray();
        Assert.Equal((16, 14, 20), (sessions[0]!["scores"]!["phq9"]!.GetValue<int>(), sessions[0]!["scores"]!["gad7"]!.GetValue<int>(), sessions[0]!["scores"]!["wsas"]!.GetValue<int>()));
        Assert.Equal("clinic", sessions[0]!["scores"]!["recordedBy"]!.GetValue<string>());
        Assert.Equal(["initial", "initial", "initial", "initial", "middle"], sessions.Take(5).Select(s => s!["phase"]!.GetValue<string>()));
        Assert.Equal("ending", sessions[12]!["phase"]!.GetValue<string>());
        Assert.Equal(["phq9", "gad7", "wsas"], sessions[15]!["measures"]!.AsArray().Select(m => m!.GetValue<string>()));
        // 16/14 (a case) to 8/7: recovered, PHQ-9 down 8: reliable recovery — so far, the course has not ended.
        Assert.Equal("Reliable recovery", progress["outcome"]!["summary"]!.GetValue<string>());
        Assert.False(progress["outcomeFinal"]!.GetValue<bool>());
        // WSAS is not asked at session 2.
        var wsasAt2 = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/2/scores", Scores(1, 1, wsasEach: 1));
        Assert.Equal(HttpStatusCode.BadRequest, wsasAt2.StatusCode);
        Assert.Contains("wsas", (await wsasAt2.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Item_9_above_0_flags_the_course_for_clinical_review_at_once_until_a_coordinator_marks_it_reviewed()
    {
        var (app, coordinator, courseId, _) = await BookedCourseAsync("sqlite");
        await using var _ = app;
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/2/scores", Scores(1, 1, item9: 0));
        Assert.Empty((await coordinator.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!);

        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/3/scores", Scores(1, 1, item9: 1));
        var waiting = (await coordinator.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!;
        Assert.Equal(courseId, waiting.Single()!["courseId"]!.GetValue<string>());
        Assert.Equal(3, waiting.Single()!["session"]!.GetValue<int>());
        Assert.Equal("AS", waiting.Single()!["patientInitials"]!.GetValue<string>());

        var reviewed = await coordinator.PostAsync($"/api/courses/{courseId}/clinical-review/reviewed", null);
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Empty((await coordinator.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!);
        Assert.Equal(HttpStatusCode.Conflict, (await coordinator.PostAsync($"/api/courses/{courseId}/clinical-review/reviewed", null)).StatusCode);
        // A later answer above 0 flags it again.
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/4/scores", Scores(1, 1, item9: 2));
        Assert.Equal(4, (await coordinator.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!.Single()!["session"]!.GetValue<int>());
        // Scores travel nowhere: nothing in the outbox carries them.
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from outbox where body like '%phq9%' or body like '%\"items\"%'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_questionnaire_link_opens_its_session_until_it_is_over_and_takes_answers_until_it_starts(string provider)
    {
        var (app, coordinator, courseId, clock) = await BookedCourseAsync(provider);
        await using var _ = app;
        var token = "k3QbV9uA2mX7rT1yE5wZ8cN4pL6sH0dFgJqRtUvWxYz";
        await app.Services.GetRequiredService<IBus>().Publish(new QuestionnaireLinkIssued(Guid.Parse(courseId), Guid.NewGuid(), 1, ApiKeys.Hash(token), DateTimeOffset.UtcNow));
        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from questionnaire_links", 1));
        var browser = app.CreateClient();
        clock.Set(Instant.FromUtc(2027, 3, 1, 17, 0));   // the day before session 1 (Tuesday 2 March, 17:00)

        var page = await browser.GetAsync($"/questionnaire/{token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Thoughts that you would be better off dead or of hurting yourself in some way", html);
        Assert.Contains("Work and Social Adjustment Scale", html);   // session 1
        Assert.Contains("Tuesday 2 March at 17:00", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());

        var half = await browser.PostAsync($"/questionnaire/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["phq9.1"] = "2" }));
        Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
        var refused = await half.Content.ReadAsStringAsync();
        Assert.Contains("PHQ-9 question 2: choose an answer.", refused);
        Assert.Contains("Work and Social Adjustment Scale question 5: choose an answer.", refused);
        Assert.Contains("value=\"2\" checked", refused);   // what was answered stays answered
        Assert.Equal(0, await app.ScalarAsync<long>("select count(*) from session_scores"));

        var form = Enumerable.Range(1, 9).Select(i => ($"phq9.{i}", "1")).Concat(Enumerable.Range(1, 7).Select(i => ($"gad7.{i}", "2")))
            .Concat(Enumerable.Range(1, 5).Select(i => ($"wsas.{i}", "3"))).ToDictionary(x => x.Item1, x => x.Item2);
        var sent = await browser.PostAsync($"/questionnaire/{token}", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var thanks = await sent.Content.ReadAsStringAsync();
        Assert.Contains("Your answers for session 1 are saved", thanks);
        Assert.Contains("thoughts of being better off dead", thanks);   // item 9 was 1: where urgent help is, first
        Assert.Contains("116 123", thanks);
        var scores = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/progress"))!["sessions"]![0]!["scores"]!;
        Assert.Equal((9, 14, 15, "patient"), (scores["phq9"]!.GetValue<int>(), scores["gad7"]!.GetValue<int>(), scores["wsas"]!.GetValue<int>(), scores["recordedBy"]!.GetValue<string>()));
        Assert.Single((await coordinator.GetFromJsonAsync<JsonArray>("/api/courses/clinical-review"))!);

        clock.Set(Instant.FromUtc(2027, 3, 2, 17, 10));   // the session has started: the page shows, changes are refused
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/questionnaire/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await browser.PostAsync($"/questionnaire/{token}", new FormUrlEncodedContent(form))).StatusCode);
        clock.Set(Instant.FromUtc(2027, 3, 2, 17, 50));   // over
        Assert.Equal(HttpStatusCode.Gone, (await browser.GetAsync($"/questionnaire/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/questionnaire/{token[..^1]}A")).StatusCode);
        // The token is the key to the page: it is in no log line.
        Assert.Equal("", string.Join("\n", app.Logs.Lines.Where(line => line.Contains(token[..20]))));
    }

    [Fact]
    public async Task Ending_a_course_early_cancels_what_is_to_come_and_tells_referrals_the_outcome_without_any_score()
    {
        var (app, coordinator, courseId, clock) = await BookedCourseAsync("sqlite");
        await using var _ = app;
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", Scores(2, 2, wsasEach: 4));   // 16, 14
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/2/scores", Scores(1, 1));               // 8, 7
        clock.Set(Instant.FromUtc(2027, 3, 10, 9, 0));

        var ended = await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/end", new { reason = "Goals met early" });

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var course = (await ended.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("ended", course["status"]!.GetValue<string>());
        Assert.Equal(14, course["sessions"]!.AsArray().Count(s => s!["status"]!.GetValue<string>() == "cancelled"));
        var outcome = (await OutboxAsync<CourseOutcomeRecorded>(app)).Single();
        Assert.Equal(("ended early", 2, true, true, true), (outcome.Ending, outcome.ScoredSessions, outcome.Recovered, outcome.ReliableImprovement, outcome.ReliableRecovery));
        Assert.Contains("Ended early: Goals met early", (await OutboxAsync<CourseCancelled>(app)).Single().Reason);
        var progress = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/progress"))!;
        Assert.True(progress["outcomeFinal"]!.GetValue<bool>());
        Assert.Contains("Goals met early", progress["endedReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_course_whose_last_session_is_over_is_completed_and_its_outcome_published_once()
    {
        var (app, coordinator, courseId, clock) = await BookedCourseAsync("sqlite");
        await using var _ = app;
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/1/scores", Scores(2, 2, wsasEach: 4));
        await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/16/scores", Scores(2, 2, wsasEach: 4));
        var completion = app.Services.GetRequiredService<CourseCompletion>();
        clock.Set(Instant.FromUtc(2027, 6, 15, 16, 30));   // session 16 (Tuesday 15 June, 17:00 BST = 16:00Z) still running
        Assert.Equal(0, await completion.CompleteEndedCoursesAsync());

        clock.Set(Instant.FromUtc(2027, 6, 15, 16, 51));
        Assert.Equal(1, await completion.CompleteEndedCoursesAsync());
        Assert.Equal(0, await completion.CompleteEndedCoursesAsync());

        Assert.Equal("completed", await app.ScalarAsync<string>("select status from courses"));
        var outcome = (await OutboxAsync<CourseOutcomeRecorded>(app)).Single();
        Assert.Equal(("completed", true, false, false, "No reliable change"), (outcome.Ending, outcome.CaseAtStart, outcome.Recovered, outcome.ReliableImprovement, outcome.Summary));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Extending_a_course_to_20_adds_sessions_17_to_20_at_the_weekly_time_in_the_ending_phase_announced_once(string provider)
    {
        var (app, coordinator, courseId, _) = await BookedCourseAsync(provider);
        await using var _ = app;
        // Someone else has Tuesday 17:00 in the week of session 18.
        await app.Services.GetRequiredService<IBus>().Publish(new ReferralForBooking(Guid.NewGuid(), "referrer-1",
            [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(18, 0))], new DateOnly(2027, 6, 28), "Europe/London", "BT", DateTimeOffset.UtcNow));
        Assert.Equal(32, await app.WaitForCountAsync("select count(*) from appointments", 32));

        Assert.Equal(HttpStatusCode.BadRequest, (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/extend", new { sessions = 21 })).StatusCode);
        var response = await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/extend", new { sessions = 20 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessions = (await response.Content.ReadFromJsonAsync<JsonObject>())!["sessions"]!.AsArray();
        Assert.Equal(20, sessions.Count);
        // Session 16 is 15 June; 17 on 22 June at 17:00; from 29 June BT's course has Tuesdays 17:00, so the nearest free time those weeks, 18:00.
        Assert.Equal(["2027-06-22T17:00", "2027-06-29T18:00", "2027-07-06T18:00", "2027-07-13T18:00"],
            sessions.Skip(16).Select(s => s!["localStart"]!.GetValue<string>()));
        var extended = (await OutboxAsync<CourseExtended>(app)).Single();
        Assert.Equal(20, extended.Sessions);
        Assert.Equal([17, 18, 19, 20], extended.Added.Select(a => a.SessionNumber));
        var progress = (await coordinator.GetFromJsonAsync<JsonObject>($"/api/courses/{courseId}/progress"))!;
        Assert.Equal(20, progress["lastSession"]!.GetValue<int>());
        Assert.Equal("ending", progress["sessions"]![19]!["phase"]!.GetValue<string>());
        Assert.Equal(["phq9", "gad7"], progress["sessions"]![15]!["measures"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["phq9", "gad7", "wsas"], progress["sessions"]![19]!["measures"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/extend", new { sessions = 18 })).StatusCode);

        // The added sessions move with their followers like any other ("this and following" took only 1–16: issue 21).
        var moved = await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/reschedule-following",
            new { fromSession = 18, start = "2027-06-29T21:00", overrideWindows = true });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(["2027-06-22T17:00", "2027-06-29T21:00", "2027-07-06T21:00", "2027-07-13T21:00"],
            (await moved.Content.ReadFromJsonAsync<JsonObject>())!["sessions"]!.AsArray().Skip(16).Select(s => s!["localStart"]!.GetValue<string>()));
    }
}
