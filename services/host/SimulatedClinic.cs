using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Dit.Identity;
using Dit.Platform.Http;
using Dit.Referrals;
using Dit.Scheduling;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Progress;
using Dit.Scheduling.Waitlist;
using NodaTime;

namespace Dit.Host;

/// <summary>
/// <c>dotnet run --project services/host -- --simulated-clinic [weeks]</c>: on a fresh data folder, the host first lives
/// the clinic's last <c>weeks</c> (default 20) on a <see cref="SimulationClock"/> set back, a day at a time, through its
/// own front doors — a referring service posting referrals (about 17 a week: evening-only, daytime, one weekday,
/// weekends, any time, a few abroad) and withdrawing some; therapists recording attendance (some DNAs and late
/// cancellations) and scores; a coordinator deciding on referrals waiting for review; the daily waitlist round and
/// course completion — and then hands over to the real clock. The figures, diaries, waitlist and reviews then show a
/// living clinic rather than an empty one. Seeded: the same number of weeks gives the same referrals and actions in the
/// same order (their dates follow today's).
/// </summary>
public sealed class SimulatedClinic(
    SimulatedClinic.Settings settings, SimulationClock clock, ReferralsDatabase referrals, SchedulingDatabase scheduling,
    CourseCompletion completion, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<SimulatedClinic> logger) : BackgroundService
{
    public sealed record Settings(int Weeks, string BaseUrl);

    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    private static readonly string[] GivenNames = ["Alex", "Sam", "Jordan", "Priya", "Tom", "Aisha", "Megan", "Chen", "Olu", "Rhys", "Zara", "Liam", "Nadia", "Ewan", "Fatima", "Joe"];
    private static readonly string[] FamilyNames = ["Smith", "Jones", "Khan", "Williams", "Brown", "Taylor", "Patel", "Evans", "Okafor", "Murphy", "Wilson", "Hughes", "Ali", "Roberts"];
    private const double ReferralsPerWeek = 17;

    private readonly Random _random = new(settings.Weeks);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        await using (var connection = await referrals.OpenAsync())
            if (await connection.ExecuteScalarAsync<long>("select count(*) from referrals") > 0)
            {
                clock.HandOver();
                logger.LogInformation("Simulated clinic: the data folder has referrals already; the real clock runs (delete the data folder to simulate again)");
                return;
            }

        // The waitlist's round, run once a simulated day (resolved here: it is one of the hosted services this is).
        var waitlist = services.GetServices<IHostedService>().OfType<WaitlistRetry>().Single();
        using var referrer = Client(DemoData.ReferrerKey);
        using var coordinator = Client(DemoData.CoordinatorKey);
        // Scores are the therapist's or the clinical lead's to record: the demo clinical lead's own key for the weeks lived,
        // expiring a day after (nobody is shown it).
        var leadKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var lead = ProviderUser.Demo.Single(u => u.UserName == "lead");
        await CoordinatorRoster.Holders.AddPersonalAsync(scheduling, new KeyHolders.KeyPerson(lead.Id, lead.Name, lead.Roles),
            "Simulated clinic's scores", clock.GetCurrentInstant(), expires: SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(1), leadKey);
        using var scorer = Client(leadKey);
        var today = SystemClock.Instance.GetCurrentInstant().InZone(London).Date;
        var first = today.PlusWeeks(-settings.Weeks);
        var withdrawals = new Dictionary<LocalDate, List<string>>();
        var posted = 0;
        logger.LogInformation("Simulated clinic: living {Weeks} weeks from {First} (a minute or two)…", settings.Weeks, first);
        try
        {
            for (var date = first; date < today && !stoppingToken.IsCancellationRequested; date = date.PlusDays(1))
            {
                clock.MoveTo(date.At(new LocalTime(8, 0)).InZoneLeniently(London).ToInstant());
                foreach (var _ in Enumerable.Range(0, date.DayOfWeek <= IsoDayOfWeek.Friday ? Poisson(ReferralsPerWeek / 5) : 0))
                {
                    var id = await PostReferralAsync(referrer, date, ++posted, stoppingToken);
                    if (id is null || _random.NextDouble() >= 0.05) continue;
                    var on = date.PlusDays(_random.Next(7, 57));
                    if (!withdrawals.TryGetValue(on, out var list)) withdrawals[on] = list = [];
                    list.Add(id);
                }
                foreach (var id in withdrawals.GetValueOrDefault(date) ?? [])
                    Check(await referrer.PostAsJsonAsync($"/api/referrals/{id}/withdraw", new { reason = "The patient no longer wants therapy" }, stoppingToken), "withdrawal");
                await SettledAsync(stoppingToken);

                clock.MoveTo(date.At(new LocalTime(23, 30)).InZoneLeniently(London).ToInstant());
                await RecordAttendanceAsync(coordinator, scorer, stoppingToken);
                await ReviewAsync(coordinator, stoppingToken);
                await completion.CompleteEndedCoursesAsync();
                await waitlist.RetryAsync(stoppingToken);
                await SettledAsync(stoppingToken);
            }
        }
        finally
        {
            clock.HandOver();   // whatever stopped the weeks lived, the host goes on in real time
        }
        await using var summary = await referrals.OpenAsync();
        var counts = (await summary.QueryAsync<(string Status, long Count)>("select status, count(*) from referrals group by status"))
            .Select(c => $"{c.Count} {c.Status}");
        logger.LogInformation("Simulated clinic: {Weeks} weeks lived, {Referrals} referrals ({Counts}); the real clock runs from here",
            settings.Weeks, posted, string.Join(", ", counts));
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(settings.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    private async Task<string?> PostReferralAsync(HttpClient referrer, LocalDate date, int number, CancellationToken cancellationToken)
    {
        var (given, family) = (GivenNames[_random.Next(GivenNames.Length)], FamilyNames[_random.Next(FamilyNames.Length)]);
        var (availability, zone) = Availability();
        using var response = await referrer.PostAsJsonAsync("/api/referrals", new
        {
            referrerReference = $"SIM-{number:00000}",
            patient = new
            {
                nhsNumber = NhsNumber(), givenName = given, familyName = family,
                dateOfBirth = new LocalDate(1950, 1, 1).PlusDays(_random.Next(0, 365 * 55)).ToString("yyyy-MM-dd", null),
                email = $"{given}.{family}.{number}@example.org".ToLowerInvariant(), mobile = (string?)null,
            },
            availability, timeZone = zone,
            earliestStart = date.PlusDays(_random.Next(2, 15)).ToString("yyyy-MM-dd", null),
            risk = new { currentRisk = _random.NextDouble() < 0.03, notes = "" },
            consent = new { email = true, sms = false, questionnaires = true },
            presentingProblem = _random.NextDouble() < 0.6 ? "depression" : "anxiety",
        }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Simulated clinic: referral {Number} refused ({Status})", number, (int)response.StatusCode);
            return null;
        }
        return response.Headers.Location?.ToString().Split('/')[^1];
    }

    /// <summary>The issue-25 clinic's mix: a third evenings only, a quarter weekday daytime, some one weekday, a few weekends or abroad, the rest any time.</summary>
    private (object[] Windows, string Zone) Availability()
    {
        object Window(string day, int from, int to) => new { day, from = $"{from:00}:00", to = $"{to:00}:00" };
        string[] Some(string[] days, int count) => days.OrderBy(_ => _random.Next()).Take(count).ToArray();
        var roll = _random.NextDouble();
        if (roll < 0.35) return (Some(Weekdays, _random.Next(2, 4)).Select(d => Window(d, 17, 21)).ToArray(), "Europe/London");
        if (roll < 0.60) return (Some(Weekdays, _random.Next(3, 6)).Select(d => Window(d, 9, 17)).ToArray(), "Europe/London");
        if (roll < 0.75)
        {
            var from = _random.Next(9, 19);
            return ([Window(Weekdays[_random.Next(5)], from, from + 3)], "Europe/London");
        }
        if (roll < 0.80) return ([Window("Saturday", 9, 17), Window("Sunday", 9, 17)], "Europe/London");
        if (roll < 0.85) return (Some(Weekdays, 3).Select(d => Window(d, 18, 22)).ToArray(), "Europe/Madrid");
        string[] all = [.. Weekdays, "Saturday", "Sunday"];
        return (Some(all, _random.Next(5, 8)).Select(d => Window(d, 8, 21)).ToArray(), "Europe/London");
    }

    /// <summary>
    /// Therapists record each session that has started: most attended, some DNAs, a few late cancellations; at each attended
    /// session the patient's PHQ-9 and GAD-7 (and WSAS at the first, eighth and last), most easing over the course, some not, a few worse.
    /// </summary>
    private async Task RecordAttendanceAsync(HttpClient coordinator, HttpClient scorer, CancellationToken cancellationToken)
    {
        List<(string Id, string CourseId, long Number, long Last)> due;
        await using (var connection = await scheduling.OpenAsync())
            due = (await connection.QueryAsync<(string, string, long, long)>(
                """
                select id, course_id, session_number, (select max(session_number) from appointments l where l.course_id = a.course_id)
                from appointments a where status = 'booked' and attendance is null and start_utc <= @now order by start_utc
                """,
                new { now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() })).ToList();
        foreach (var (id, courseId, number, last) in due)
        {
            var roll = _random.NextDouble();
            var outcome = roll < 0.86 ? "attended" : roll < 0.96 ? "dna" : "late-cancel";
            Check(await coordinator.PostAsJsonAsync($"/api/appointments/{id}/attendance", new { outcome }, cancellationToken), "attendance");
            if (outcome != "attended") continue;
            if (!_courses.TryGetValue(courseId, out var course)) _courses[courseId] = course = (8 + _random.Next(12), 7 + _random.Next(10), _random.NextDouble());
            // 60 % ease to about a third of where they began, 30 % stay, 10 % worsen by a quarter.
            var change = course.Path < 0.6 ? -0.045 : course.Path < 0.9 ? 0 : 0.017;
            int Total(int start, int max) => Math.Clamp((int)Math.Round(start * (1 + change * (number - 1)) + _random.Next(-2, 3)), 0, max);
            Check(await scorer.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{number}/scores", new
            {
                phq9 = Items(Total(course.Phq9, 24), 9, lastZero: true), gad7 = Items(Total(course.Gad7, 21), 7, lastZero: false),
                wsas = number is 1 or 8 || number == last ? Items(_random.Next(8, 30), 5, lastZero: false, most: 8) : null,
            }, cancellationToken), "scores");
        }
    }

    private readonly Dictionary<string, (int Phq9, int Gad7, double Path)> _courses = [];

    /// <summary>A questionnaire's items adding up to <paramref name="total"/> (each 0–3, or 0–<paramref name="most"/>); PHQ-9's item 9 left at 0.</summary>
    private int[] Items(int total, int count, bool lastZero, int most = 3)
    {
        var items = new int[count];
        var open = lastZero ? count - 1 : count;
        for (var left = Math.Min(total, open * most); left > 0;)
            if (_random.Next(open) is var at && items[at] < most) { items[at]++; left--; }
        return items;
    }

    /// <summary>
    /// The coordinator decides on referrals waiting for review after three days: most accepted for booking after a talk
    /// with the referrer, some closed. Those of the last three days are left for the person opening the host.
    /// </summary>
    private async Task ReviewAsync(HttpClient coordinator, CancellationToken cancellationToken)
    {
        var waiting = await coordinator.GetFromJsonAsync<List<ReviewItem>>("/api/reviews", cancellationToken) ?? [];
        foreach (var review in waiting.Where(r => r.WaitingMinutes > 3 * 24 * 60))
            Check(_random.NextDouble() < 0.8
                ? await coordinator.PostAsync($"/api/reviews/{review.ReferralId}/accept", null, cancellationToken)
                : await coordinator.PostAsJsonAsync($"/api/reviews/{review.ReferralId}/close",
                    new { reason = "Referred on to a service better suited to the current risk" }, cancellationToken), "review");
    }

    private sealed record ReviewItem(Guid ReferralId, int WaitingMinutes);

    /// <summary>Waits (a few seconds at most) until the in-memory bus has carried every referral to its booking or the waitlist.</summary>
    private async Task SettledAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            await using (var connection = await referrals.OpenAsync())
                if (await connection.ExecuteScalarAsync<long>("select count(*) from referrals where status = 'received'") == 0) return;
            await Task.Delay(50, cancellationToken);
        }
    }

    private void Check(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode) logger.LogWarning("Simulated clinic: {What} refused ({Status})", what, (int)response.StatusCode);
        response.Dispose();
    }

    private int Poisson(double mean)
    {
        var (limit, count, product) = (Math.Exp(-mean), 0, _random.NextDouble());
        while (product > limit) { count++; product *= _random.NextDouble(); }
        return count;
    }

    /// <summary>A made-up NHS number with a valid check digit, in the 999 range the NHS keeps for tests.</summary>
    private string NhsNumber()
    {
        while (true)
        {
            var digits = "999" + _random.Next(0, 1_000_000).ToString("000000");
            if (Referrals.Intake.NhsNumber.CheckDigit(digits) is { } check) return digits + check;
        }
    }
}
