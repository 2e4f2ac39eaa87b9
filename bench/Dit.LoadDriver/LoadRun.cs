using System.Diagnostics;
using Dit.Testing;
using Microsoft.Data.Sqlite;

namespace Dit.LoadDriver;

/// <summary>One run's figures.</summary>
public sealed record LoadResult(
    string Topology,
    int Referrals,
    double OfferedRate,
    double IntakeSeconds,
    double EndToEndSeconds,
    long Booked,
    long Invited,
    double[] IntakeLatenciesMs,
    IReadOnlyDictionary<string, long> PeakResidentBytes,
    long OverlappingSessions,
    long WeeksOverCap,
    IReadOnlyDictionary<string, double> CpuSeconds,
    string Notes)
{
    /// <summary>Referrals per second from the first post to the last invite written.</summary>
    public double ReferralsPerSecond => Invited / EndToEndSeconds;

    public double Percentile(double p)
    {
        var sorted = IntakeLatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

public static class LoadRun
{
    /// <summary>
    /// The three services as separate processes over RabbitMQ and PostgreSQL: <paramref name="referrals"/> posted at
    /// <paramref name="rate"/> a second (0: as fast as 64 clients go), timed to the last invite the SMTP server receives.
    /// </summary>
    /// <summary>The service databases' largest tables after the latest distributed run (rows, KB), as Markdown rows.</summary>
    public static List<string> LastTableSizes { get; private set; } = [];

    /// <param name="fhir">Send each referral as a BaRS message (<see cref="BarsLoad"/>) to <c>POST /fhir/$process-message</c>, validator on.</param>
    public static async Task<LoadResult> DistributedAsync(RabbitMqServer rabbit, int referrals, double rate, int scheduling, int notifications, bool fhir = false)
    {
        await using var system = await ProcessSystem.StartAsync(scheduling, notifications, rabbit);
        await ProcessSystem.AddTherapistsAsync(system.Coordinator, Therapists(referrals), Cap);
        var run = $"load{Guid.NewGuid():N}"[..12];
        // The FHIR validator warms itself for tens of seconds of one core after the referrals service starts: one BaRS
        // message waits for it, so that no run measures the warm-up (JSON runs included: it would take their CPU).
        await system.SetUpBarsReferrerAsync(BarsLoad.OdsCode);
        await ProcessSystem.PostReferralsAsync(system.Referrer, $"cold{Guid.NewGuid():N}"[..12], 0, 1, parallel: 1, rate: 0, currentRisk: true,
            request: index => BarsLoad.Message("cold", index, currentRisk: true));
        await WarmUpAsync(system.Referrer, fhir);

        var cpuBefore = CpuTime.Snapshot();
        var watch = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        using var progress = Progress(watch, async () =>
        {
            var progress = await system.ReadProgressAsync(run);
            return $"stored {progress.Stored}, booked {progress.Booked}, waitlisted {progress.Waitlisted}, mails received {progress.MailsReceived}";
        });
        var posted = await ProcessSystem.PostReferralsAsync(system.Referrer, run, 0, referrals, parallel: 64, rate,
            request: fhir ? index => BarsLoad.Message(run, index, currentRisk: false) : null);
        var intakeSeconds = watch.Elapsed.TotalSeconds;
        var settled = await system.WaitUntilSettledAsync(run, referrals, TimeSpan.FromMinutes(10));
        var endToEnd = (system.LastMailWrittenUtc() - startedUtc).TotalSeconds;
        var cpu = CpuTime.Between(cpuBefore, CpuTime.Snapshot(), system.All.ToDictionary(p => p.ProcessId, p => p.Service));
        LastTableSizes = await DatabaseProfile.TableSizesAsync(system.Databases);

        return new LoadResult($"processes: referrals ×1, scheduling ×{scheduling}, notifications ×{notifications}{(fhir ? ", BaRS messages (validator on)" : "")}", referrals, rate,
            intakeSeconds, endToEnd, settled.Booked, settled.PatientsInvited, posted.LatenciesMs,
            system.All.GroupBy(p => p.Service).ToDictionary(g => g.Key, g => g.Max(p => p.PeakResidentBytes())),
            settled.OverlappingSessions, settled.WeeksOverCap, cpu,
            $"{settled.Waitlisted} waitlisted, {settled.PatientsWithTwoDifferentInvites} patients with two invites, {posted.FailedAttempts} failed posts");
    }

    /// <summary>
    /// Intake alone: the same posts with the scheduling and notifications processes stopped, so the referrals service has
    /// the machine to itself (the messages wait in RabbitMQ). Separates intake's own latency from CPU contention.
    /// </summary>
    public static async Task<LoadResult> IntakeOnlyAsync(RabbitMqServer rabbit, int referrals, double rate)
    {
        await using var system = await ProcessSystem.StartAsync(rabbit: rabbit);
        foreach (var process in system.Scheduling.Concat(system.Notifications)) process.Kill();
        var run = $"intake{Guid.NewGuid():N}"[..12];
        await WarmUpAsync(system.Referrer);
        var cpuBefore = CpuTime.Snapshot();
        var watch = Stopwatch.StartNew();
        var posted = await ProcessSystem.PostReferralsAsync(system.Referrer, run, 0, referrals, parallel: 64, rate);
        var intakeSeconds = watch.Elapsed.TotalSeconds;
        var progress = await system.ReadProgressAsync(run);
        var cpu = CpuTime.Between(cpuBefore, CpuTime.Snapshot(), new Dictionary<int, string> { [system.Referrals.ProcessId] = "referrals" });
        return new LoadResult("intake only: referrals ×1 (scheduling and notifications stopped)", referrals, rate, intakeSeconds, intakeSeconds,
            0, 0, posted.LatenciesMs, new Dictionary<string, long> { ["referrals"] = system.Referrals.PeakResidentBytes() }, 0, 0, cpu,
            $"{progress.Stored} stored in {intakeSeconds:0.0} s ({progress.Stored / intakeSeconds:0} a second); throughput column not applicable");
    }

    /// <summary>The development host (one process, SQLite, in-memory bus, pickup folder) under the same driver.</summary>
    public static async Task<LoadResult> DevelopmentHostAsync(int referrals, double rate)
    {
        await using var host = ServiceProcess.For("host", new Dictionary<string, string?>
        {
            ["RateLimit:PermitLimit"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await host.StartAsync();
        using var administrator = host.ClientWithKey("demo-admin-key");
        using var referrer = host.ClientWithKey("demo-referrer-key");
        await ProcessSystem.AddTherapistsAsync(administrator, Therapists(referrals), Cap);
        var run = $"dev{Guid.NewGuid():N}"[..12];
        await WarmUpAsync(referrer);
        var pickup = Path.Combine(host.WorkingDirectory, "data", "pickup");
        int Invites() => Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml").Length : 0;

        var cpuBefore = CpuTime.Snapshot();
        var watch = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        using var progress = Progress(watch, () => Task.FromResult($"invites written {Invites()}"));
        var posted = await ProcessSystem.PostReferralsAsync(referrer, run, 0, referrals, parallel: 64, rate);
        var intakeSeconds = watch.Elapsed.TotalSeconds;
        await using var scheduling = new SqliteConnection($"Data Source={Path.Combine(host.WorkingDirectory, "data", "scheduling.db")};Mode=ReadOnly");
        await scheduling.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = scheduling.CreateCommand();
            command.CommandText = sql;
            return (long)(await command.ExecuteScalarAsync())!;
        }
        // Settled: every referral booked (the demo therapists hold earlier courses) or waitlisted, and every booked one invited.
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline &&
               (await CountAsync("select (select count(*) from courses) + (select count(*) from waitlist)") < referrals
                || Invites() < await CountAsync("select count(*) from courses")))
            await Task.Delay(250);
        var files = Directory.GetFiles(pickup, "*.eml");
        var endToEnd = (files.Max(File.GetLastWriteTimeUtc) - startedUtc).TotalSeconds;
        var cpu = CpuTime.Between(cpuBefore, CpuTime.Snapshot(), new Dictionary<int, string> { [host.ProcessId] = "host" });
        var overlaps = await CountAsync("""
            select count(*) from appointments a join appointments b
            on a.therapist_id = b.therapist_id and a.id < b.id and a.status = 'booked' and b.status = 'booked'
            and a.start_utc < b.end_utc and b.start_utc < a.end_utc
            """);
        var booked = await CountAsync("select count(*) from courses");
        return new LoadResult("development host: one process, SQLite, in-memory bus", referrals, rate, intakeSeconds, endToEnd,
            booked, files.Length, posted.LatenciesMs, new Dictionary<string, long> { ["host"] = host.PeakResidentBytes() },
            overlaps, -1, cpu, $"{posted.FailedAttempts} failed posts");
    }

    private const int Cap = 60;

    /// <summary>
    /// 200 referrals reporting current risk before the measured run: they go through the whole intake (and wait for a
    /// coordinator, so they book nothing and mail no one), leaving the services' code compiled and their pools filled.
    /// </summary>
    private static Task WarmUpAsync(HttpClient referrer, bool fhir = false)
    {
        var run = $"warm{Guid.NewGuid():N}"[..12];
        return ProcessSystem.PostReferralsAsync(referrer, run, 0, 200, parallel: 16, rate: 100, currentRisk: true,
            request: fhir ? index => BarsLoad.Message(run, index, currentRisk: true) : null);
    }

    /// <summary>Enough therapists (60 sessions a week each) to book every referral with a fifth to spare.</summary>
    private static int Therapists(int referrals) => (int)Math.Ceiling(referrals * 1.2 / Cap);

    /// <summary>Writes a progress line every two seconds until disposed.</summary>
    private static IDisposable Progress(Stopwatch watch, Func<Task<string>> describe) =>
        new Timer(_ =>
        {
            try { Console.Error.WriteLine($"  {watch.Elapsed.TotalSeconds,6:0.0} s  {describe().GetAwaiter().GetResult()}"); }
            catch (Exception exception) { Console.Error.WriteLine($"  (progress: {exception.Message})"); }
        }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
}
