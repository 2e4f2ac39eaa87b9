using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Testing;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Issue 14, point 7: the development host (one process, SQLite, the in-memory bus) killed mid-stream and started again
/// on the same data loses nothing and does nothing twice. On the in-memory bus a message published but not yet consumed
/// lives only in the process.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class DevelopmentHostRestartTests
{
    private const int Referrals = 40;

    [Fact]
    public async Task The_development_host_killed_mid_stream_and_started_again_books_and_invites_every_referral_once()
    {
        await using var host = ServiceProcess.For("host", new Dictionary<string, string?> { ["RateLimit:PermitLimit"] = "1000000" });
        await host.StartAsync();
        using var referrer = host.ClientWithKey("demo-referrer-key");
        using (var administrator = host.ClientWithKey("demo-admin-key")) await ProcessSystem.AddTherapistsAsync(administrator, 3, 20);
        var pickup = Path.Combine(host.WorkingDirectory, "data", "pickup");

        var locations = new List<Uri>();
        for (var i = 0; i < Referrals; i++)
        {
            var posted = await referrer.PostAsJsonAsync("/api/referrals", ProcessSystem.Referral("devhost", i));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            locations.Add(posted.Headers.Location!);
        }
        host.Kill();   // kill -9 while the bookings and invites are on their way
        var invitedBeforeKill = Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml").Length : 0;
        await host.StartAsync();

        var statuses = new List<string>();
        for (var waited = 0; waited < 240; waited++)
        {
            statuses = [];
            foreach (var location in locations)
                statuses.Add((await referrer.GetFromJsonAsync<JsonObject>(location))!["status"]!.GetValue<string>());
            if (statuses.All(s => s == "booked") && Invited(pickup).Count == Referrals) break;
            await Task.Delay(500);
        }

        Assert.True(invitedBeforeKill < Referrals, "the host was killed after everything was done: nothing was in flight");
        Assert.All(statuses, status => Assert.Equal("booked", status));
        var invited = Invited(pickup);
        Assert.Equal(Enumerable.Range(0, Referrals).Select(i => ProcessSystem.EmailOf("devhost", i)).Order(), invited.Keys.Order());
        Assert.All(invited, patient => Assert.Equal(1, patient.Value));
    }

    /// <summary>Invites written to the pickup folder, by patient address: how many distinct Message-IDs each got.</summary>
    private static Dictionary<string, int> Invited(string pickup) =>
        (Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : [])
            .Select(File.ReadAllText)
            .Select(mail => (To: MimeMessage.Header(mail, "To"), Id: MimeMessage.Header(mail, "Message-ID")))
            .GroupBy(m => m.To.Trim('<', '>'))
            .ToDictionary(g => g.Key, g => g.Select(m => m.Id).Distinct().Count());
}
