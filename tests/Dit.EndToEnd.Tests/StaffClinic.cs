using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Notifications;
using Dit.Referrals;
using Dit.Referrals.Keys;
using Dit.Scheduling;
using Dit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// A clinic as the development host runs it, but as three hosts: the development provider, the three services in one
/// process (SQLite, in-memory bus, on <see cref="Clock"/>, one therapist), and the staff front end on <see cref="Time"/>.
/// </summary>
public sealed class StaffClinic(WebApplication provider, WebApplication services, WebApplication frontEnd, SettableTimeProvider time, SettableClock clock)
    : IAsyncDisposable
{
    public WebApplication Provider => provider;
    public WebApplication Services => services;
    public Uri FrontEnd => DistributedSystem.BaseAddress(frontEnd);

    /// <summary>The front end's clock (sessions).</summary>
    public SettableTimeProvider Time => time;

    /// <summary>The services' clock.</summary>
    public SettableClock Clock => clock;

    /// <param name="signedClient">The provider takes only a signed JWT from the front end (private_key_jwt), not its secret.</param>
    /// <param name="assertionKeyFile">The front end signs its token requests with this key (and has no secret).</param>
    public static async Task<StaffClinic> StartAsync(bool signedClient = false, string? assertionKeyFile = null)
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        var provider = await DistributedSystem.StartProviderAsync([.. CodeFlow.ProviderClientSettings, .. DistributedSystem.FrontEndClient(address, signedClient)]);
        var settings = new Dictionary<string, string?>((await TestDatabases.ConfigureAsync("Referrals", "sqlite"))
            .Concat(await TestDatabases.ConfigureAsync("Scheduling", "sqlite")).Concat(await TestDatabases.ConfigureAsync("Notifications", "sqlite")))
        {
            ["Bus:Transport"] = "InMemory",
            ["Scheduling:Coordinators:SyncSeconds"] = "1",
            ["Scheduling:Video:JoinUrlTemplate"] = "https://video.example.nhs.uk/dit/{room}",
            ["RateLimit:PermitLimit"] = "100000",
        };
        foreach (var (name, value) in DistributedSystem.StaffTokensFrom(provider)) settings[name] = value;
        var clock = new SettableClock(SystemClock.Instance.GetCurrentInstant());
        var services = await DistributedSystem.StartHostAsync(settings, [ReferralsService.Definition, SchedulingService.Definition, NotificationsService.Definition], clock);
        await Dit.Scheduling.Therapists.TherapistRoster.AddAsync(services.Services.GetRequiredService<SchedulingDatabase>(), "Dr Asha Patel", 30,
            [new(IsoDayOfWeek.Monday, new(9, 0), new(17, 0))], clock.GetCurrentInstant());
        var time = new SettableTimeProvider();
        var frontEnd = await DistributedSystem.StartFrontEndAsync(address, provider, services, services, services, time, assertionKeyFile);
        return new StaffClinic(provider, services, frontEnd, time, clock);
    }

    /// <summary>An access token for <paramref name="userName"/> from the provider, as a script would get one.</summary>
    public async Task<string> AccessTokenAsync(string userName, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = DistributedSystem.BaseAddress(provider) };
        return (await CodeFlow.SignInAsync(browser, userName, password))["access_token"]!.GetValue<string>();
    }

    /// <summary>Links the clinic's therapist, Dr Asha Patel, to <paramref name="userId"/> as an administrator does; her id.</summary>
    public async Task<string> LinkTherapistAsync(string userId)
    {
        using var admin = Client("Bearer", await AccessTokenAsync("admin", "demo-admin"));
        var id = (await admin.GetFromJsonAsync<JsonArray>("/api/therapists"))!.Single(t => t!["name"]!.GetValue<string>() == "Dr Asha Patel")!["id"]!.GetValue<string>();
        (await admin.PutAsJsonAsync($"/api/therapists/{id}/user", new { userId })).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>A referral for Mondays 09:00–17:00 from a new referring service, once booked (with Dr Asha Patel): as the referrer reads it.</summary>
    public async Task<JsonObject> BookMondayCourseAsync(string reference)
    {
        var (_, key) = await Referrers.Holders.AddAsync(services.Services.GetRequiredService<ReferralsDatabase>(), $"Referrer of {reference}",
            clock.GetCurrentInstant());
        using var referrer = Client("ApiKey", key);
        var posted = await referrer.PostAsJsonAsync("/api/referrals", new
        {
            referrerReference = reference,
            patient = new { nhsNumber = "9434765919", givenName = "Alex", familyName = "Smith", dateOfBirth = "1990-04-01", email = "alex@example.org" },
            availability = new[] { new { day = "Monday", from = "09:00", to = "17:00" } },
            earliestStart = clock.GetCurrentInstant().InUtc().Date.PlusDays(7).ToString("yyyy-MM-dd", null),
            consent = new { email = true, sms = false },
        });
        return await ReferralToInviteTests.PollUntilAsync(referrer, posted.Headers.Location!, "booked");
    }

    /// <summary>A client of the services calling with <c>scheme credential</c>.</summary>
    public HttpClient Client(string scheme, string credential)
    {
        var client = new HttpClient { BaseAddress = DistributedSystem.BaseAddress(services) };
        client.DefaultRequestHeaders.Authorization = new(scheme, credential);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new[] { frontEnd, services, provider })
        {
            try { await host.StopAsync(); } catch (ObjectDisposedException) { }
            await host.DisposeAsync();
        }
    }
}
