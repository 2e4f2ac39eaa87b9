using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Dit.Testing;

/// <summary>
/// The three services as separate operating-system processes over a real RabbitMQ and PostgreSQL,
/// mailing a real SMTP server — the deployed topology, on this machine. Used by the fault tests and
/// by the load driver in <c>bench/</c>.
/// </summary>
public sealed partial class ProcessSystem : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ProcessSystem(RabbitMqServer rabbit, string busUrl, Dictionary<string, string> databases, SmtpServer smtp,
        IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        Rabbit = rabbit;
        BusUrl = busUrl;
        Databases = databases;
        Smtp = smtp;
    }

    public RabbitMqServer Rabbit { get; }

    public string BusUrl { get; }

    /// <summary>Each service's PostgreSQL connection string, by service name.</summary>
    public Dictionary<string, string> Databases { get; }

    public SmtpServer Smtp { get; private set; }

    public ServiceProcess Referrals { get; private set; } = null!;

    public List<ServiceProcess> Scheduling { get; } = [];

    public List<ServiceProcess> Notifications { get; } = [];

    public IEnumerable<ServiceProcess> All => [Referrals, .. Scheduling, .. Notifications];

    /// <summary>A referring service's client (a key made with the referrals executable's <c>keys add</c>).</summary>
    public HttpClient Referrer { get; private set; } = null!;

    /// <summary>A clinic coordinator's client for the (first) scheduling process.</summary>
    public HttpClient Coordinator { get; private set; } = null!;

    /// <summary>
    /// Starts PostgreSQL databases, a RabbitMQ virtual host (on <paramref name="rabbit"/>, else the shared node),
    /// an SMTP server and the services: one referrals process and the given numbers of scheduling and
    /// notifications processes, each ready before this returns. <paramref name="settings"/> go to every process.
    /// </summary>
    public static async Task<ProcessSystem> StartAsync(int schedulingProcesses = 1, int notificationsProcesses = 1, RabbitMqServer? rabbit = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var postgres = await PostgresServer.SharedAsync();
        rabbit ??= await RabbitMqServer.SharedAsync();
        var busUrl = await rabbit.CreateVirtualHostAsync("processes");
        var databases = new Dictionary<string, string>();
        foreach (var service in new[] { "Referrals", "Scheduling", "Notifications" })
            databases[service] = await postgres.CreateDatabaseAsync(service.ToLowerInvariant());
        var system = new ProcessSystem(rabbit, busUrl, databases, await SmtpServer.StartAsync(), settings ?? new Dictionary<string, string?>());

        for (var i = 0; i < schedulingProcesses; i++) system.Scheduling.Add(system.Process("scheduling"));
        for (var i = 0; i < notificationsProcesses; i++) system.Notifications.Add(system.Process("notifications"));
        system.Referrals = system.Process("referrals");
        await Task.WhenAll(system.All.Select(p => p.StartAsync()));

        system.Referrer = system.Referrals.ClientWithKey(await system.Referrals.AddKeyAsync("Load and fault referrer"));
        // The script's key also holds the administrator's role: it adds the therapists.
        system.Coordinator = system.Scheduling[0].ClientWithKey(
            await system.Scheduling[0].AddKeyAsync("Load and fault coordinator", "coordinator", "administrator"));
        return system;
    }

    private ServiceProcess Process(string service)
    {
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        var process = ServiceProcess.For(service, new Dictionary<string, string?>(_settings)
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Url"] = BusUrl,
            [$"{name}:Database:Provider"] = "postgres",
            [$"{name}:Database:ConnectionString"] = Databases[name],
            ["Notifications:Mail:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Mail:Smtp:Port"] = Smtp.Port.ToString(),
            // A mail claimed by a process killed mid-send goes again when its claim runs out: the shortest allowed.
            ["Notifications:Mail:ClaimSeconds"] = "35",
            // A load or fault run posts far more than a referring service would in a minute.
            ["RateLimit:PermitLimit"] = "1000000",
            // The runs count on room for exactly therapists × cap courses: with one start week, a course cannot wait for
            // another to end (over 18 weeks the twenty over capacity would start in week 17). A run may set its own.
            ["Scheduling:Booking:HorizonWeeks"] = _settings.GetValueOrDefault("Scheduling:Booking:HorizonWeeks") ?? "1",
        });
        process.RestartWhenItExits = true;   // as docker-compose.yml's restart: unless-stopped
        return process;
    }

    /// <summary>
    /// Waits until the referrals process has warmed its FHIR validator: tens of seconds of one core's work after start-up
    /// that a test timing other things should not share its cores with.
    /// </summary>
    public Task FhirValidatorWarmAsync() => Waiting.UntilAsync(() => Referrals.ReadWholeLog().Contains("FHIR validator warmed"),
        TimeSpan.FromMinutes(3), "the referrals process's FHIR validator warmed");

    /// <summary>Stops the SMTP server: from now on connections are refused.</summary>
    public ValueTask StopSmtpAsync() => Smtp.DisposeAsync();

    /// <summary>Starts SMTP again on the same port and maildir.</summary>
    public async Task StartSmtpAsync() => Smtp = await SmtpServer.StartAsync(Smtp.Port, Smtp.Maildir);

    /// <summary>
    /// Adds <paramref name="count"/> therapists through the therapists API, each working 07:00–23:00 every
    /// day with a weekly cap of <paramref name="cap"/> sessions: room for count × cap courses at once.
    /// </summary>
    public Task AddTherapistsAsync(int count, int cap) => AddTherapistsAsync(Coordinator, count, cap);

    /// <summary>As above, through any scheduling endpoint (<paramref name="coordinator"/> carries the base address and key).</summary>
    public static async Task AddTherapistsAsync(HttpClient coordinator, int count, int cap)
    {
        var days = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
        for (var i = 0; i < count; i++)
        {
            var response = await coordinator.PostAsJsonAsync("/api/therapists", new
            {
                name = $"Therapist {i + 1}",
                maxSessionsPerWeek = cap,
                workingHours = days.Select(day => new { day, from = "07:00", to = "23:00" }),
            });
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"Adding a therapist: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// The <paramref name="index"/>th referral of a run: its own reference and email, availability on three days spread over
    /// the week (so that a week with two bank holidays, as at New Year, still leaves the patient a day).
    /// </summary>
    public static object Referral(string run, int index, bool currentRisk = false)
    {
        var days = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
        var hour = 7 + index % 13;
        return new
        {
            referrerReference = ReferenceOf(run, index),
            patient = new
            {
                nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01",
                email = EmailOf(run, index),
            },
            availability = new[]
            {
                new { day = days[index % 7], from = $"{hour:00}:00", to = $"{hour + 3:00}:00" },
                new { day = days[(index + 2) % 7], from = "07:00", to = "23:00" },
                new { day = days[(index + 4) % 7], from = "07:00", to = "23:00" },
            },
            earliestStart = DateTime.UtcNow.Date.AddDays(7).ToString("yyyy-MM-dd"),
            consent = new { email = true, sms = false },
            risk = new { currentRisk, notes = currentRisk ? "warm-up: waits for a coordinator, never booked" : "" },
        };
    }

    public static string ReferenceOf(string run, int index) => $"{run}-{index:00000}";

    public static string EmailOf(string run, int index) => $"patient-{run}-{index}@example.org";

    /// <summary>
    /// Posts referrals <paramref name="from"/>..<paramref name="to"/> (exclusive), <paramref name="parallel"/> at a time, as a
    /// referring service would: a refused connection or a 5xx is tried again with the same body and reference until
    /// it is accepted. Returns how long each accepted post took (its last attempt) and how many attempts failed.
    /// </summary>
    public Task<PostResults> PostReferralsAsync(string run, int from, int to, int parallel, Action<int>? onAccepted = null) =>
        PostReferralsAsync(Referrer, run, from, to, parallel, 0, onAccepted);

    /// <summary>
    /// As above through any referrals endpoint (<paramref name="referrer"/> carries the base address and key); with a
    /// <paramref name="rate"/> above 0, referral i is not sent before i / rate seconds after the start.
    /// </summary>
    /// <param name="request">Referral i's request, when not our JSON to <c>POST /api/referrals</c> (a BaRS message, say); made again for each attempt.</param>
    public static async Task<PostResults> PostReferralsAsync(HttpClient referrer, string run, int from, int to, int parallel, double rate,
        Action<int>? onAccepted = null, bool currentRisk = false, Func<int, HttpRequestMessage>? request = null)
    {
        var latencies = new double[to - from];
        var failedAttempts = 0;
        var next = from - 1;
        var accepted = 0;
        using var client = new HttpClient { BaseAddress = referrer.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = referrer.DefaultRequestHeaders.Authorization;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            for (var index = Interlocked.Increment(ref next); index < to; index = Interlocked.Increment(ref next))
            {
                if (rate > 0 && TimeSpan.FromSeconds((index - from) / rate) - started.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
                var body = JsonContent.Create(Referral(run, index, currentRisk));
                await body.LoadIntoBufferAsync();
                for (var attempt = 0; ; attempt++)
                {
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        using var response = request is null ? await client.PostAsync("/api/referrals", body) : await client.SendAsync(request(index));
                        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                        {
                            latencies[index - from] = watch.Elapsed.TotalMilliseconds;
                            onAccepted?.Invoke(Interlocked.Increment(ref accepted));
                            break;
                        }
                        if ((int)response.StatusCode < 500)
                            throw new InvalidOperationException($"Referral {index} ({response.RequestMessage?.RequestUri}): {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    Interlocked.Increment(ref failedAttempts);
                    if (attempt > 600) throw new TimeoutException($"Referral {index} was not accepted after {attempt} attempts.");
                    await Task.Delay(200);
                }
            }
        }));
        return new PostResults(latencies, failedAttempts);
    }

    /// <summary>
    /// Waits until every one of the <paramref name="count"/> referrals of <paramref name="run"/> is booked or waitlisted, every
    /// outbox is drained and every queued mail sent — or <paramref name="timeout"/> passes — and returns what it then finds.
    /// </summary>
    public async Task<SystemState> WaitUntilSettledAsync(string run, int count, TimeSpan timeout)
    {
        // Polled with the cheap counts; the checks over every appointment run once, at the end.
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var progress = await ReadProgressAsync(run);
            if (progress.Decided == count && progress.UnsentOutbox == 0 && progress.UnsentMail == 0 && progress.MailsReceived >= progress.Booked) break;
            await Task.Delay(500);
        }
        return await ReadStateAsync(run);
    }

    /// <summary>How far a run has got: cheap enough to ask every second under load.</summary>
    public async Task<RunProgress> ReadProgressAsync(string run)
    {
        var referrals = await QueryAsync(Databases["Referrals"],
            "select status, count(*) from referrals where referrer_reference like @run group by status", ("run", $"{run}-%"));
        var unsentOutbox = 0L;
        foreach (var database in new[] { "Referrals", "Scheduling", "Notifications" })
            unsentOutbox += (await QueryAsync(Databases[database], "select 'outbox', count(*) from outbox where sent_at is null"))["outbox"];
        var unsentMail = (await QueryAsync(Databases["Notifications"], "select 'unsent', count(*) from outgoing_mail where sent_at is null"))["unsent"];
        return new RunProgress(referrals.Values.Sum(), referrals.GetValueOrDefault("booked"), referrals.GetValueOrDefault("waitlisted"),
            ReceivedFiles().Length, unsentOutbox, unsentMail);
    }

    /// <summary>What the databases, the SMTP server's maildir and the broker hold now, for the referrals of <paramref name="run"/>.</summary>
    public async Task<SystemState> ReadStateAsync(string run)
    {
        var progress = await ReadProgressAsync(run);
        var scheduling = await QueryAsync(Databases["Scheduling"], $"""
            select 'courses', count(*) from courses
            union all select 'waitlist', count(*) from waitlist
            union all select 'referrals-booked-twice', count(*) from (select referral_id from courses group by referral_id having count(*) > 1) t
            union all select 'booked-and-waitlisted', count(*) from courses c join waitlist w on w.referral_id = c.referral_id
            union all select 'courses-not-16', count(*) from courses c
                where (select count(*) from appointments a where a.course_id = c.id and a.status = 'booked') <> 16
            union all select 'overlaps', count(*) from appointments a join appointments b
                on a.therapist_id = b.therapist_id and a.id < b.id and a.status = 'booked' and b.status = 'booked'
                and a.start_utc < b.end_utc and b.start_utc < a.end_utc
            union all select 'weeks-over-cap', count(*) from (
                select a.therapist_id from appointments a join therapists t on t.id = a.therapist_id where a.status = 'booked'
                group by a.therapist_id, t.max_sessions_per_week,
                    date_trunc('week', to_timestamp(a.start_utc / 1000.0) at time zone 'Europe/London')
                having count(*) > t.max_sessions_per_week) w
            """);

        var mails = ReceivedMails();
        var invites = mails.Where(m => m.Method == "REQUEST" && m.To.Contains($"-{run}-")).ToList();
        return new SystemState(
            Stored: progress.Stored,
            Booked: progress.Booked,
            Waitlisted: progress.Waitlisted,
            Courses: scheduling["courses"],
            WaitlistEntries: scheduling["waitlist"],
            ReferralsBookedTwice: scheduling["referrals-booked-twice"],
            BookedAndWaitlisted: scheduling["booked-and-waitlisted"],
            CoursesWithout16Sessions: scheduling["courses-not-16"],
            OverlappingSessions: scheduling["overlaps"],
            WeeksOverCap: scheduling["weeks-over-cap"],
            UnsentOutbox: progress.UnsentOutbox,
            UnsentMail: progress.UnsentMail,
            MailsReceived: invites.Count,
            PatientsInvited: invites.Select(m => m.To).Distinct().Count(),
            PatientsWithTwoDifferentInvites: invites.GroupBy(m => m.To).Count(g => g.Select(m => m.MessageId).Distinct().Count() > 1),
            ResentCopies: invites.Count - invites.Select(m => (m.To, m.MessageId)).Distinct().Count());
    }

    /// <summary>Why referrals are waitlisted, and how many for each reason.</summary>
    public Task<Dictionary<string, long>> WaitlistReasonsAsync() =>
        QueryAsync(Databases["Scheduling"], "select reason, count(*) from waitlist group by reason");

    /// <summary>Messages in every queue of this system's virtual host whose name ends in <c>_error</c> or <c>_skipped</c>.</summary>
    public async Task<Dictionary<string, long>> DeadLetteredAsync() =>
        (await Rabbit.QueuesAsync(BusUrl)).Where(q => (q.Key.EndsWith("_error") || q.Key.EndsWith("_skipped")) && q.Value > 0)
            .ToDictionary();

    /// <summary>Records <paramref name="odsCode"/> with <see cref="Referrer"/>'s key (as an administrator would): its BaRS messages are taken.</summary>
    public async Task SetUpBarsReferrerAsync(string odsCode)
    {
        await using var connection = new NpgsqlConnection(Databases["Referrals"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "insert into referrer_fhir (referrer_id, ods_code) select id, @ods from referrers where name = 'Load and fault referrer' on conflict do nothing", connection);
        command.Parameters.AddWithValue("ods", odsCode);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The booked referrals' emails as the referrals service has them (to compare with who was invited).</summary>
    public async Task<HashSet<string>> BookedEmailsAsync(string run)
    {
        await using var connection = new NpgsqlConnection(Databases["Referrals"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select request_json from referrals where referrer_reference like @run and status = 'booked'", connection);
        command.Parameters.AddWithValue("run", $"{run}-%");
        var emails = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            emails.Add(System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(0))!["patient"]!["email"]!.GetValue<string>());
        return emails;
    }

    /// <summary>Everyone the SMTP server has received an invite (METHOD:REQUEST) for, in <paramref name="run"/>.</summary>
    public HashSet<string> InvitedPatients(string run) =>
        ReceivedMails().Where(m => m.Method == "REQUEST" && m.To.Contains($"-{run}-")).Select(m => m.To).ToHashSet();

    /// <summary>When the SMTP server received each invite (METHOD:REQUEST) of <paramref name="run"/>, by recipient (UTC).</summary>
    public Dictionary<string, DateTime> InviteTimes(string run) =>
        ReceivedFiles().Select(f => (File: f, Mail: ReadMail(f))).Where(m => m.Mail is { Method: "REQUEST" } && m.Mail.To.Contains($"-{run}-"))
            .GroupBy(m => m.Mail!.To).ToDictionary(g => g.Key, g => g.Min(m => File.GetLastWriteTimeUtc(m.File)));

    /// <summary>When the SMTP server wrote its latest message (UTC).</summary>
    public DateTime LastMailWrittenUtc() =>
        ReceivedFiles().Select(File.GetLastWriteTimeUtc).DefaultIfEmpty().Max();

    /// <summary>The files of the messages the SMTP server has received (its maildir's <c>new/</c>).</summary>
    private string[] ReceivedFiles() =>
        Directory.Exists(Path.Combine(Smtp.Maildir, "new")) ? Directory.GetFiles(Path.Combine(Smtp.Maildir, "new")) : [];

    private List<ReceivedMail> ReceivedMails() => ReceivedFiles().Select(ReadMail).OfType<ReceivedMail>().ToList();

    private static ReceivedMail? ReadMail(string file)
    {
        string text;
        try { text = File.ReadAllText(file); }
        catch (IOException) { return null; }
        var method = MethodParameter().Match(text);
        return new ReceivedMail(MimeMessage.Header(text, "To").Trim('<', '>'), MimeMessage.Header(text, "Message-ID"),
            method.Success ? method.Groups[1].Value : "");
    }

    [GeneratedRegex(@"text/calendar;[^\n]*method=""?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex MethodParameter();

    private static async Task<Dictionary<string, long>> QueryAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }

    /// <summary>Runs a statement on one service's database (e.g. to mark its outbox unsent, so it is published again).</summary>
    public async Task<int> ExecuteAsync(string service, string sql)
    {
        await using var connection = new NpgsqlConnection(Databases[service]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in All) await process.DisposeAsync();
        await Smtp.DisposeAsync();
        Referrer.Dispose();
        Coordinator.Dispose();
    }

    private sealed record ReceivedMail(string To, string MessageId, string Method);
}

/// <summary>A run's referrals stored, booked and waitlisted, mails the SMTP server received, and messages or mails still to send.</summary>
public sealed record RunProgress(long Stored, long Booked, long Waitlisted, long MailsReceived, long UnsentOutbox, long UnsentMail)
{
    public long Decided => Booked + Waitlisted;
}

/// <summary>How long each accepted post took (ms) and how many attempts failed on the way.</summary>
public sealed record PostResults(double[] LatenciesMs, int FailedAttempts);

/// <summary>A run's referrals as the three services and the SMTP server see them.</summary>
public sealed record SystemState(
    long Stored,
    long Booked,
    long Waitlisted,
    long Courses,
    long WaitlistEntries,
    long ReferralsBookedTwice,
    long BookedAndWaitlisted,
    long CoursesWithout16Sessions,
    long OverlappingSessions,
    long WeeksOverCap,
    long UnsentOutbox,
    long UnsentMail,
    long MailsReceived,
    long PatientsInvited,
    long PatientsWithTwoDifferentInvites,
    long ResentCopies)
{
    public long Decided => Booked + Waitlisted;
}
