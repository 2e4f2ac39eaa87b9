using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Dit.Identity;
using Dit.Notifications;
using Dit.Scheduling;
using Dit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Staff calling the services with their own access token from the development provider, over real HTTP: the role in
/// the token opens what the role may do, the trail names the person, and a forged or foreign token opens nothing.
/// </summary>
public sealed class StaffTokenTests
{
    private static async Task<string> AccessTokenAsync(Uri provider, string userName, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = provider };
        return (await CodeFlow.SignInAsync(browser, userName, password))["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_coordinators_token_opens_coordinator_work_as_that_person_a_therapists_is_forbidden_and_a_forged_one_is_unknown()
    {
        await using var provider = await DistributedSystem.StartProviderAsync(CodeFlow.ProviderClientSettings);
        var authority = DistributedSystem.BaseAddress(provider);
        var settings = new Dictionary<string, string?>(
            (await TestDatabases.ConfigureAsync("Scheduling", "sqlite")).Concat(await TestDatabases.ConfigureAsync("Notifications", "sqlite")))
        {
            ["Bus:Transport"] = "InMemory",
        };
        foreach (var (name, value) in DistributedSystem.StaffTokensFrom(provider)) settings[name] = value;
        await using var host = await DistributedSystem.StartHostAsync(settings, [SchedulingService.Definition, NotificationsService.Definition]);
        var coordinator = await AccessTokenAsync(authority, "coordinator", "demo-coordinator");
        var therapist = await AccessTokenAsync(authority, "therapist", "demo-therapist");
        // The same claims, issuer and audience, signed by a key that is not the provider's.
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = authority.ToString(), Audience = "dit", Expires = DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", "demo-coordinator"), new Claim("role", "coordinator")]),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256),
        });
        var referralId = Guid.NewGuid();

        async Task<(HttpStatusCode Status, string? Type)> GetAsync(string path, string scheme, string credential)
        {
            using var client = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(host) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, credential);
            var response = await client.GetAsync(path);
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/waitlist/", "Bearer", coordinator)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/api/messages?referralId={referralId}", "Bearer", coordinator)).Status);
        Assert.Equal((HttpStatusCode.Forbidden, "application/problem+json"), await GetAsync("/api/waitlist/", "Bearer", therapist));
        Assert.Equal((HttpStatusCode.Unauthorized, "application/problem+json"), await GetAsync("/api/waitlist/", "Bearer", forged));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/waitlist/", "Bearer", "not-a-token")).Status);
        // Keys keep working beside tokens.
        var (_, key) = await Dit.Scheduling.Coordinators.CoordinatorRoster.Holders.AddAsync(host.Services.GetRequiredService<SchedulingDatabase>(),
            "Scripted coordinator", SystemClock.Instance.GetCurrentInstant());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/waitlist/", "ApiKey", key)).Status);

        await using var connection = await host.Services.GetRequiredService<NotificationsDatabase>().OpenAsync();
        var row = await connection.QuerySingleAsync<(string Role, string Id, string Name, string Action)>(
            "select actor_role, actor_id, actor_name, action from audit_trail where referral_id = @referralId", new { referralId = referralId.ToString() });
        Assert.Equal(("coordinator", "demo-coordinator", "Casey Coordinator", "messages.read"), row);

        // The clinical lead reads who looked at the referral, as JSON and as a CSV file; a coordinator may not.
        var lead = await AccessTokenAsync(authority, "lead", "demo-lead");
        using var client = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(host) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", lead);
        var trail = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/audit/notifications?referralId={referralId}"))!;
        Assert.Equal(("demo-coordinator", "Casey Coordinator", "messages.read"),
            (trail.Single()!["actorId"]!.GetValue<string>(), trail.Single()!["actorName"]!.GetValue<string>(), trail.Single()!["action"]!.GetValue<string>()));
        var csv = await client.GetAsync($"/api/audit/notifications?referralId={referralId}&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("row,at,actorRole,actorId,actorName", lines[0]);
        Assert.Contains(",coordinator,demo-coordinator,Casey Coordinator,,", lines[1]);
        Assert.Equal(3, lines.Length);   // the header, the coordinator's look, and the lead's own first look at the trail
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"/api/audit/notifications?referralId={referralId}", "Bearer", coordinator)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/audit/scheduling?referralId=not-an-id", "Bearer", lead)).Status);
    }
}
