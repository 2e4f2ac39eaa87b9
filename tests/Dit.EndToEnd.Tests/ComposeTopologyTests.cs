using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;
using Npgsql;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// docker-compose.yml, checked without a Docker engine: Debian's docker-compose validates and normalises it, and the
/// three services' local builds are started with exactly the environment it gives them (hosts swapped for this
/// machine's PostgreSQL, RabbitMQ and SMTP server), then take a referral through to the invite.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class ComposeTopologyTests
{
    private static readonly string[] OurServices = ["referrals", "scheduling", "notifications"];

    [Fact]
    public async Task The_compose_file_is_valid_and_every_service_has_a_health_check_a_restart_policy_and_its_dependencies()
    {
        var services = (await ComposeConfigAsync())["services"]!.AsObject();

        Assert.Equal(["mail", "notifications", "postgres", "rabbitmq", "referrals", "scheduling"], services.Select(s => s.Key).Order());
        Assert.Contains("management", services["rabbitmq"]!["image"]!.GetValue<string>());
        foreach (var name in OurServices)
        {
            var service = services[name]!;
            Assert.Equal("unless-stopped", service["restart"]!.GetValue<string>());
            Assert.Contains("/health/ready", service["healthcheck"]!["test"]!.ToJsonString());
            Assert.Equal("docker/Dockerfile", service["build"]!["dockerfile"]!.GetValue<string>());
            Assert.Equal("service_healthy", service["depends_on"]!["postgres"]!["condition"]!.GetValue<string>());
            Assert.Equal("service_healthy", service["depends_on"]!["rabbitmq"]!["condition"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_services_started_with_the_compose_environment_book_a_referral_and_send_the_invite()
    {
        var services = (await ComposeConfigAsync())["services"]!.AsObject();
        var postgres = await PostgresServer.SharedAsync();
        var busUrl = await (await RabbitMqServer.SharedAsync()).CreateVirtualHostAsync("compose");
        await using var smtp = await SmtpServer.StartAsync();
        var processes = new List<ServiceProcess>();
        try
        {
            foreach (var name in OurServices)
            {
                var settings = new Dictionary<string, string?>();
                foreach (var (key, value) in services[name]!["environment"]!.AsObject())
                {
                    var setting = key.Replace("__", ":");
                    settings[setting] = setting switch
                    {
                        "Bus:RabbitMq:Url" => busUrl,
                        _ when setting.EndsWith(":Database:ConnectionString") => await postgres.CreateDatabaseAsync(
                            new NpgsqlConnectionStringBuilder(value!.GetValue<string>()).Database!),
                        "Notifications:Mail:Smtp:Host" => "127.0.0.1",
                        "Notifications:Mail:Smtp:Port" => smtp.Port.ToString(),
                        _ => value!.GetValue<string>(),
                    };
                }
                processes.Add(ServiceProcess.For(name, settings));
            }
            await Task.WhenAll(processes.Select(p => p.StartAsync()));
            var (referrals, scheduling) = (processes[0], processes[1]);
            using var coordinator = scheduling.ClientWithKey(await scheduling.AddKeyAsync("Compose coordinator"));
            await ProcessSystem.AddTherapistsAsync(coordinator, 1, 10);
            using var referrer = referrals.ClientWithKey(await referrals.AddKeyAsync("Compose referrer"));

            var posted = await referrer.PostAsJsonAsync("/api/referrals", ProcessSystem.Referral("compose", 1));

            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            var booked = await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
            Assert.Equal(16, booked["booking"]!["sessions"]!.AsArray().Count);
            var invite = Assert.Single(await smtp.WaitForMessagesAsync(1));
            Assert.Contains(ProcessSystem.EmailOf("compose", 1), invite);
            Assert.Contains("method=REQUEST", invite);
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
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
