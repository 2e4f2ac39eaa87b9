using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Notifications;
using Dit.Notifications.Messages;
using Dit.Referrals;
using Dit.Referrals.Keys;
using Dit.Scheduling;
using Dit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>Every endpoint × every kind of caller, against the three services over RabbitMQ: who gets in, who does not.</summary>
public sealed class AccessMatrixTests
{
    private static readonly string[] Callers = ["no key", "wrong key", "revoked key", "referrer A", "referrer B", "coordinator"];

    private static object Referral(string reference) => new
    {
        referrerReference = reference,
        patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = "alex@example.org" },
        availability = new[] { new { day = "Tuesday", from = "17:00", to = "21:00" } },
        earliestStart = SystemClock.Instance.GetCurrentInstant().InUtc().Date.PlusDays(7).ToString("yyyy-MM-dd", null),
        consent = new { email = true, sms = false },
    };

    [Fact]
    public async Task Every_endpoint_answers_each_caller_as_the_access_rules_say()
    {
        await using var system = await DistributedSystem.StartAsync();
        await system.AddTherapistAsync("Dr Asha Patel", new LocalTime(15, 0), new LocalTime(23, 0));
        var (a, keyA) = await system.NewReferrerWithKeyAsync("Service A");
        var (_, keyB) = await system.NewReferrerWithKeyAsync("Service B");
        var (_, revokedKey) = await system.NewReferrerWithKeyAsync("Service gone");
        var referrals = system.Referrals.Services.GetRequiredService<ReferralsDatabase>();
        var revokedId = (await Referrers.Holders.ListAsync(referrals)).Single(h => h.Name == "Service gone").Id;
        await Referrers.Holders.RevokeAsync(referrals, revokedId, SystemClock.Instance.GetCurrentInstant());
        var (_, coordinatorKey) = await system.NewCoordinatorAsync("Coordinator");
        await NotificationsCoordinators.Holders.AddAsync(system.Notifications.Services.GetRequiredService<NotificationsDatabase>(),
            "Coordinator", SystemClock.Instance.GetCurrentInstant(), coordinatorKey);
        var posted = await a.PostAsJsonAsync("/api/referrals", Referral("ACC-1"));
        var referral = posted.Headers.Location!.ToString();
        var toWithdraw = (await a.PostAsJsonAsync("/api/referrals", Referral("ACC-2"))).Headers.Location!.ToString();
        var therapist = (await DistributedSystem.ClientFor(system.Scheduling, coordinatorKey).GetFromJsonAsync<JsonArray>("/api/therapists/"))![0]!["id"]!.GetValue<string>();
        var keys = new Dictionary<string, string?>
        {
            ["no key"] = null, ["wrong key"] = "ref_not-a-real-key", ["revoked key"] = revokedKey,
            ["referrer A"] = keyA, ["referrer B"] = keyB, ["coordinator"] = coordinatorKey,
        };
        var counter = 0;

        //                        service, method, path, body, expected status per caller (order of Callers)
        var matrix = new (WebApplication Host, HttpMethod Method, string Path, Func<object?>? Body, int[] Expected)[]
        {
            (system.Referrals, HttpMethod.Post, "/api/referrals", () => Referral($"ACC-N{++counter}"), [401, 401, 401, 202, 202, 401]),
            (system.Referrals, HttpMethod.Get, referral, null, [401, 401, 401, 200, 404, 401]),
            (system.Referrals, HttpMethod.Get, "/api/referrals?reference=ACC-1", null, [401, 401, 401, 200, 404, 401]),
            (system.Referrals, HttpMethod.Post, $"{toWithdraw}/withdraw", () => new { reason = "test" }, [401, 401, 401, 200, 404, 401]),
            (system.Scheduling, HttpMethod.Get, "/api/therapists/", null, [401, 401, 401, 401, 401, 200]),
            (system.Scheduling, HttpMethod.Get, $"/api/therapists/{therapist}/diary?from=2027-03-01&to=2027-03-07", null, [401, 401, 401, 401, 401, 200]),
            (system.Scheduling, HttpMethod.Get, "/api/closed-days/", null, [401, 401, 401, 401, 401, 200]),
            (system.Scheduling, HttpMethod.Get, "/api/waitlist/", null, [401, 401, 401, 401, 401, 200]),
            (system.Scheduling, HttpMethod.Get, "/api/reviews/", null, [401, 401, 401, 401, 401, 200]),
            (system.Scheduling, HttpMethod.Get, "/api/courses/flagged", null, [401, 401, 401, 401, 401, 200]),
            (system.Scheduling, HttpMethod.Get, $"/api/courses/{Guid.NewGuid()}", null, [401, 401, 401, 401, 401, 404]),
            (system.Scheduling, HttpMethod.Post, $"/api/appointments/{Guid.NewGuid()}/reschedule", () => new { start = "2027-03-02T18:00" }, [401, 401, 401, 401, 401, 404]),
            (system.Scheduling, HttpMethod.Post, $"/api/reviews/{Guid.NewGuid()}/accept", null, [401, 401, 401, 401, 401, 404]),
            (system.Notifications, HttpMethod.Get, $"/api/messages?referralId={Guid.NewGuid()}", null, [401, 401, 401, 401, 401, 200]),
            (system.Notifications, HttpMethod.Post, $"/api/calendar-feeds/{Guid.NewGuid()}/revoke", null, [401, 401, 401, 401, 401, 404]),
            (system.Notifications, HttpMethod.Get, "/calendar/not-a-token.ics", null, [404, 404, 404, 404, 404, 404]),
        };

        var mismatches = new List<string>();
        foreach (var (host, method, path, body, expected) in matrix)
        {
            for (var i = 0; i < Callers.Length; i++)
            {
                using var client = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(host) };
                if (keys[Callers[i]] is { } key) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body()) };
                var status = (int)(await client.SendAsync(request)).StatusCode;
                if (status != expected[i]) mismatches.Add($"{method} {path} as {Callers[i]}: {status}, expected {expected[i]}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(16 * 6, matrix.Length * Callers.Length);
    }

    [Fact]
    public async Task In_one_process_as_the_development_host_runs_a_key_known_in_another_role_is_forbidden_not_unknown()
    {
        var settings = new Dictionary<string, string?>(
            (await TestDatabases.ConfigureAsync("Referrals", "sqlite")).Concat(await TestDatabases.ConfigureAsync("Scheduling", "sqlite")))
        {
            ["Bus:Transport"] = "InMemory",
        };
        await using var host = await DistributedSystem.StartHostAsync(settings,
            [ReferralsService.Definition, SchedulingService.Definition]);
        var now = SystemClock.Instance.GetCurrentInstant();
        var (_, referrerKey) = await Referrers.Holders.AddAsync(host.Services.GetRequiredService<ReferralsDatabase>(), "Service A", now);
        var (_, coordinatorKey) = await Dit.Scheduling.Coordinators.CoordinatorRoster.Holders.AddAsync(host.Services.GetRequiredService<Dit.Scheduling.SchedulingDatabase>(), "Coordinator", now);

        async Task<(int Status, string? Type)> GetAsync(string path, string? key)
        {
            using var client = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(host) };
            if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
            var response = await client.GetAsync(path);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal((403, "application/problem+json"), await GetAsync("/api/referrals?reference=X-1", coordinatorKey));
        Assert.Equal((403, "application/problem+json"), await GetAsync("/api/waitlist/", referrerKey));
        Assert.Equal((401, "application/problem+json"), await GetAsync("/api/waitlist/", "coord_made-up"));
        Assert.Equal((401, "application/problem+json"), await GetAsync("/api/referrals?reference=X-1", null));
        Assert.Equal(404, (await GetAsync("/api/referrals?reference=X-1", referrerKey)).Status);
        Assert.Equal(200, (await GetAsync("/api/waitlist/", coordinatorKey)).Status);
    }
}
