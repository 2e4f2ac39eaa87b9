using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// docker-compose.yml as a newcomer with Docker would run it: validated, then started unchanged with the demo clinic
/// (<c>DIT_DEMO_CLINIC=true</c>) on the Docker engine — images built, every service healthy — taken from a referral to the
/// invite in the mail catcher, across a restart of the broker, and the staff pages signed in to in Chromium.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class ComposeStackTests
{
    private static readonly string[] OurServices = ["referrals", "scheduling", "notifications"];

    [Fact]
    public async Task The_compose_file_is_valid_and_every_service_has_a_health_check_a_restart_policy_and_its_dependencies()
    {
        var services = (await ComposeConfigAsync())["services"]!.AsObject();

        Assert.Equal(["identity", "mail", "notifications", "postgres", "rabbitmq", "referrals", "scheduling", "web"], services.Select(s => s.Key).Order());
        Assert.Contains("management", services["rabbitmq"]!["image"]!.GetValue<string>());
        foreach (var name in OurServices)
        {
            var service = services[name]!;
            Assert.Equal("unless-stopped", service["restart"]!.GetValue<string>());
            Assert.Contains("/health/ready", service["healthcheck"]!["test"]!.ToJsonString());
            Assert.Equal("docker/Dockerfile", service["build"]!["dockerfile"]!.GetValue<string>());
            Assert.Equal("service_healthy", service["depends_on"]!["postgres"]!["condition"]!.GetValue<string>());
            Assert.Equal("service_healthy", service["depends_on"]!["rabbitmq"]!["condition"]!.GetValue<string>());
            Assert.Equal("http://identity:8080/", service["environment"]!["Identity__Authority"]!.GetValue<string>());
        }
        foreach (var name in new[] { "identity", "web" })
        {
            Assert.Equal("unless-stopped", services[name]!["restart"]!.GetValue<string>());
            Assert.Contains("/health/live", services[name]!["healthcheck"]!["test"]!.ToJsonString());
        }
        // Without the demo setting: no demo users, no demo therapists.
        Assert.Equal("false", services["identity"]!["environment"]!["Identity__Provider__DemoUsers"]!.GetValue<string>());
        Assert.Equal("false", services["scheduling"]!["environment"]!["Scheduling__DemoClinic"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_stack_runs_as_written_books_a_referral_mails_the_invite_and_loses_nothing_when_the_broker_restarts()
    {
        Assert.True(await DockerEngine.InUseAsync(), "This test runs docker-compose.yml on a Docker engine: scripts/test.sh starts one.");
        var project = $"dit-stack-{Guid.NewGuid():N}"[..18];
        Shell.WhenTestsEnd($"cd '{ServiceProcess.RepositoryRoot}' && docker-compose -p {project} down -v --rmi local -t 5");
        await RemoveLeftStacksAsync();
        try
        {
            await ComposeAsync(project, "up", "-d", "--build");
            await WaitUntilHealthyAsync(project);
            using var referrer = await ClientAsync(project, "referrals", 8081, "Stack referrer");

            var first = await PostAsync(referrer, 1);
            var sessions = (await ReferralToInviteTests.PollUntilAsync(referrer, first, "booked", 60))["booking"]!["sessions"]!.AsArray();
            var invite = MimeMessage.Parse(await Mailpit.WaitForAsync(ProcessSystem.EmailOf("stack", 1))).Parts.Single(p => p.ContentType == "text/calendar");
            Assert.Equal("REQUEST", invite.Parameters["method"]);
            await IcsParsers.ExpectOccurrencesAsync(invite.Body,
                sessions.Select(s => s!["startUtc"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")));

            // Three more referrals taken while the broker is down: they wait in the referrals outbox until it is back.
            await ComposeAsync(project, "stop", "-t", "10", "rabbitmq");
            var later = new[] { await PostAsync(referrer, 2), await PostAsync(referrer, 3), await PostAsync(referrer, 4) };
            await ComposeAsync(project, "start", "rabbitmq");

            foreach (var location in later) await PollThroughRestartsAsync(referrer, location, "booked", 180);
            for (var i = 2; i <= 4; i++) await Mailpit.WaitForAsync(ProcessSystem.EmailOf("stack", i));
            await Task.Delay(TimeSpan.FromSeconds(5));   // a duplicate would come after the original
            var sent = await Mailpit.RecipientsAsync();
            Assert.Equal(Enumerable.Range(1, 4).Select(i => ProcessSystem.EmailOf("stack", i)), sent.Order());

            // The services the broker's outage restarted are healthy again before anyone signs in (else the page's first
            // read of scheduling can meet a 502 from a container still starting).
            await WaitUntilHealthyAsync(project);

            // The staff pages on :8080 sign in at the provider on :8084 and read scheduling with the person's token.
            var (playwright, browser) = await StaffBrowser.ChromiumAsync();
            using var _ = playwright;
            await using var __ = browser;
            var page = await StaffBrowser.SignedInPageAsync(browser, new Uri("http://localhost:8080"), "coordinator", "demo-coordinator");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Casey Coordinator (coordinator)");
            Assert.Equal(6, await page.Locator("#therapist option").CountAsync());   // the demo clinic
        }
        finally
        {
            await ComposeAsync(project, "down", "-v", "--rmi", "local", "-t", "5");   // its images too: a new project name each run
        }
    }

    /// <summary>
    /// Polls as <see cref="ReferralToInviteTests.PollUntilAsync"/> does, riding out the service's own restart: with the broker
    /// down its watchdog stops a process whose queues lost their consumer (exit code 3), and the restart policy brings it back.
    /// </summary>
    private static async Task PollThroughRestartsAsync(HttpClient client, Uri location, string status, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                await ReferralToInviteTests.PollUntilAsync(client, location, status, 10);
                return;
            }
            catch (Exception error) when ((error is HttpRequestException or TimeoutException) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static async Task<Uri> PostAsync(HttpClient referrer, int index)
    {
        var posted = await referrer.PostAsJsonAsync("/api/referrals", ProcessSystem.Referral("stack", index));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        return posted.Headers.Location!;
    }

    /// <summary>A client of the service published on <paramref name="port"/>, with a key made by the service's own command in its container.</summary>
    private static async Task<HttpClient> ClientAsync(string project, string service, int port, string holder)
    {
        var assembly = service == "referrals" ? "Dit.Referrals" : "Dit.Scheduling";
        var output = await ComposeAsync(project, "exec", "-T", service, "dotnet", $"{assembly}.dll", "keys", "add", holder);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new("ApiKey", output.Trim().Split('\n')[^1].Trim());
        return client;
    }

    /// <summary>
    /// Removes the containers of any stack an earlier run on this machine left behind (a run killed before its clean-up):
    /// they would hold the ports the file publishes (CI once failed with "port is already allocated" for 15672 and 8025).
    /// </summary>
    private static async Task RemoveLeftStacksAsync()
    {
        var containers = await Shell.RunAsync("docker", ["ps", "-a", "--format", "{{.ID}} {{.Label \"com.docker.compose.project\"}}"]);
        var left = containers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .Where(l => l.Length == 2 && l[1].StartsWith("dit-stack-")).Select(l => l[0]).ToArray();
        if (left.Length > 0) await Shell.RunAsync("docker", ["rm", "-f", "-v", .. left]);
    }

    /// <summary>Every container of the stack healthy (the mail catcher, which has no health check, running).</summary>
    private static async Task WaitUntilHealthyAsync(string project)
    {
        var states = "";
        for (var i = 0; i < 90; i++)
        {
            var ids = (await ComposeAsync(project, "ps", "-q")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            states = await Shell.RunAsync("docker", ["inspect", "-f",
                "{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}", .. ids]);
            var lines = states.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 8 && lines.All(l => l.EndsWith(" healthy") || l.Contains("_mail_") && l.EndsWith(" running"))) return;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        throw new TimeoutException($"The stack is not healthy after 3 minutes:\n{states}");
    }

    private static Task<string> ComposeAsync(string project, params string[] arguments) =>
        Shell.RunAsync("sh", ["-c", $"cd '{ServiceProcess.RepositoryRoot}' && exec env DIT_DEMO_CLINIC=true docker-compose -p {project} -f docker-compose.yml \"$@\" 2>&1", "compose", .. arguments]);

    /// <summary>The stack's mail catcher, through the part of Mailpit's API the stand-in also answers.</summary>
    private static class Mailpit
    {
        private static readonly HttpClient Http = new() { BaseAddress = new Uri("http://127.0.0.1:8025") };

        public static async Task<string[]> RecipientsAsync()
        {
            var listing = await Http.GetFromJsonAsync<JsonObject>("/api/v1/messages");
            return listing!["messages"]!.AsArray().SelectMany(m => m!["To"]!.AsArray().Select(t => t!["Address"]!.GetValue<string>())).ToArray();
        }

        /// <summary>The raw mail to <paramref name="address"/>, once it has come (within 2 minutes).</summary>
        public static async Task<string> WaitForAsync(string address)
        {
            for (var i = 0; i < 120; i++)
            {
                var listing = await Http.GetFromJsonAsync<JsonObject>("/api/v1/messages");
                var message = listing!["messages"]!.AsArray().FirstOrDefault(m => m!["To"]!.AsArray().Any(t => t!["Address"]!.GetValue<string>() == address));
                if (message is not null) return await Http.GetStringAsync($"/api/v1/message/{message["ID"]!.GetValue<string>()}/raw");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            throw new TimeoutException($"No mail to {address} in the mail catcher within 2 minutes.");
        }
    }

    /// <summary><c>docker-compose config</c>: validated, anchors and merges resolved, as JSON (through Debian's python3-yaml).</summary>
    private static async Task<JsonObject> ComposeConfigAsync()
    {
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ServiceProcess.RepositoryRoot,
        };
        foreach (var argument in (string[])["-c",
            "docker-compose -f docker-compose.yml config | python3 -c 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'"])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"docker-compose config failed: {await error}");
        return JsonNode.Parse(await output)!.AsObject();
    }
}
