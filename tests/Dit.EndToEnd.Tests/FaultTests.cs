using Dit.Testing;
using Xunit.Abstractions;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Design §6 under faults: the three services as separate processes over RabbitMQ and PostgreSQL, 200 referrals
/// posted while something breaks. Afterwards every referral is stored and booked or waitlisted, every booked course
/// has 16 sessions, no therapist is double-booked or over their weekly cap, every booked patient has exactly one
/// invite, and nothing is left in an outbox, the mail queue or an error queue.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int Referrals = 200, Therapists = 6, Cap = 30;   // room for 180 courses: 20 are waitlisted

    // A kill between the SMTP server's acceptance of a mail and its "sent" mark sends that mail again on restart
    // (same Message-ID, calendar UID and SEQUENCE): at most one per sender working at the time (Notifications:Mail:Senders).
    private const int MailSenders = 4;

    [Fact]
    public async Task The_broker_stopping_and_starting_mid_stream_loses_nothing_and_does_nothing_twice()
    {
        var rabbit = await RabbitMqServer.StartNodeAsync();   // its own node: stopping it must not touch other tests
        await using var system = await ProcessSystem.StartAsync(rabbit: rabbit);
        await RunAsync(system, "broker", async () =>
        {
            await rabbit.CtlAsync("stop_app");
            await Task.Delay(TimeSpan.FromSeconds(5));
            await rabbit.CtlAsync("start_app");
        });
    }

    [Theory]
    [InlineData("scheduling")]
    [InlineData("notifications")]
    [InlineData("referrals")]
    public async Task A_service_killed_mid_stream_and_restarted_loses_nothing_and_does_nothing_twice(string service)
    {
        await using var system = await ProcessSystem.StartAsync();
        var process = system.All.First(p => p.Service == service);
        SystemState? atKill = null;
        var posted = await RunAsync(system, $"kill-{service}", async () =>
        {
            // In the middle of that service's own work: referrals while taking posts (at once: intake is quick enough to
            // take the rest of the posts while the state is read), scheduling once it has booked some, notifications
            // once some invites are out.
            if (service == "referrals") process.Kill();
            do atKill = await system.ReadStateAsync($"kill-{service}");
            while (service == "scheduling" && atKill.Decided == 0 || service == "notifications" && atKill.MailsReceived == 0);
            if (service != "referrals") process.Kill();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await process.StartAsync();
        }, resendsAllowed: service == "notifications" ? MailSenders : 0);
        output.WriteLine($"when killed: {atKill}");
        // The kill fell in the middle of that service's work.
        switch (service)
        {
            case "referrals": Assert.True(posted.FailedAttempts > 0, "posts were refused while referrals was down"); break;
            case "scheduling": Assert.InRange(atKill!.Decided, 0, Referrals - 1); break;
            case "notifications": Assert.InRange(atKill!.MailsReceived, 0, Therapists * Cap - 1); break;
        }
    }

    [Fact]
    public async Task SMTP_refusing_connections_for_a_while_delays_the_invites_but_loses_none()
    {
        await using var system = await ProcessSystem.StartAsync();
        await RunAsync(system, "smtp", async () =>
        {
            await system.StopSmtpAsync();
            await Task.Delay(TimeSpan.FromSeconds(8));
            await system.StartSmtpAsync();
        });
        Assert.Contains("failed (attempt 1): ", system.Notifications[0].ReadWholeLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_message_published_again_from_the_outboxes_changes_nothing()
    {
        await using var system = await ProcessSystem.StartAsync();
        var republished = 0;
        await RunAsync(system, "duplicates", async () =>
        {
            // Once bookings are under way, so both services have sent messages to send again.
            await Waiting.UntilAsync(async () => (await system.ReadProgressAsync("duplicates")).Decided >= Referrals / 4, TimeSpan.FromMinutes(10), "a quarter of the referrals decided");
            foreach (var service in new[] { "Referrals", "Scheduling" })
                republished += await system.ExecuteAsync(service, "update outbox set sent_at = null where sent_at is not null");
        });
        output.WriteLine($"published again mid-stream: {republished}");
        Assert.True(republished > 0, "mid-stream there were sent messages to publish again");

        // Now every message the run produced, in every service, a second time.
        var settled = await system.ReadStateAsync("duplicates");
        foreach (var service in new[] { "Referrals", "Scheduling", "Notifications" })
            republished += await system.ExecuteAsync(service, "update outbox set sent_at = null");
        var again = await system.WaitUntilSettledAsync("duplicates", Referrals, TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(3));   // long enough for a second invite to be sent, if one were
        again = await system.ReadStateAsync("duplicates");
        output.WriteLine($"published again: {republished}; after: {again}");
        Assert.Equal(settled, again);
        Assert.Empty(await system.DeadLetteredAsync());
    }

    [Fact]
    public async Task Two_scheduling_processes_consuming_at_once_never_double_book()
    {
        await using var system = await ProcessSystem.StartAsync(schedulingProcesses: 2);
        var consumers = new Dictionary<string, long>();
        await RunAsync(system, "two-consumers", async () => consumers = await system.Rabbit.QueuesAsync(system.BusUrl, "consumers"));
        Assert.Equal(2, consumers.Single(q => q.Key.EndsWith("book-course")).Value);   // both processes took referrals off the queue
    }

    /// <summary>Posts the referrals, runs <paramref name="fault"/> once <paramref name="faultAt"/> have been accepted, waits and checks.</summary>
    private async Task<PostResults> RunAsync(ProcessSystem system, string run, Func<Task> fault, int faultAt = Referrals / 4, int resendsAllowed = 0)
    {
        await system.AddTherapistsAsync(Therapists, Cap);
        var faultDone = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = await system.PostReferralsAsync(run, 0, Referrals, parallel: 8,
            accepted => { if (accepted == faultAt) faultDone.SetResult(Task.Run(fault)); });
        await await faultDone.Task;

        var state = await system.WaitUntilSettledAsync(run, Referrals, TimeSpan.FromMinutes(4));
        await Task.Delay(TimeSpan.FromSeconds(2));   // any duplicate would arrive now
        state = await system.ReadStateAsync(run);
        output.WriteLine($"{run}: {posted.FailedAttempts} failed post attempts retried; {state}");
        output.WriteLine($"restarted by the restart policy: {string.Join(", ", system.All.Select(p => $"{p.Service} {p.Restarts}"))}");
        output.WriteLine($"waitlisted because: {string.Join("; ", (await system.WaitlistReasonsAsync()).Select(r => $"{r.Key} ({r.Value})"))}");

        Assert.Equal(Referrals, state.Stored);
        Assert.Equal(Referrals, state.Decided);
        Assert.Equal(Therapists * Cap, state.Booked);   // every place taken, and no more
        Assert.Equal(state.Booked, state.Courses);
        Assert.Equal(state.Waitlisted, state.WaitlistEntries);
        Assert.Equal(0, state.ReferralsBookedTwice);
        Assert.Equal(0, state.BookedAndWaitlisted);
        Assert.Equal(0, state.CoursesWithout16Sessions);
        Assert.Equal(0, state.OverlappingSessions);
        Assert.Equal(0, state.WeeksOverCap);
        Assert.Equal(0, state.UnsentOutbox);
        Assert.Equal(0, state.UnsentMail);
        Assert.Equal(await system.BookedEmailsAsync(run), system.InvitedPatients(run));
        Assert.Equal(0, state.PatientsWithTwoDifferentInvites);
        Assert.InRange(state.ResentCopies, 0, resendsAllowed);
        Assert.Empty(await system.DeadLetteredAsync());
        return posted;
    }
}

[CollectionDefinition(nameof(ProcessesCollection))]
public sealed class ProcessesCollection;
