using System.Net.Http.Headers;
using Dit.Notifications;
using Dit.Platform.Hosting;
using Dit.Referrals;
using Dit.Referrals.Keys;
using Dit.Scheduling;
using Dit.Scheduling.Therapists;
using Dit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// The three services as three separate hosts — each its own container, PostgreSQL database and bus
/// connection, on real Kestrel ports — talking only over a real RabbitMQ; with the development sign-in provider and the
/// staff front end as hosts of their own, the front end forwarding to the three.
/// </summary>
public sealed class DistributedSystem : IAsyncDisposable
{
    private readonly List<WebApplication> _hosts = [];

    private Dictionary<string, string?> _notificationsSettings = [];
    private Dictionary<string, string?> _referralsSettings = [];
    private IClock? _clock;

    public required WebApplication Referrals { get; set; }
    public required WebApplication Scheduling { get; init; }
    public required WebApplication Notifications { get; set; }
    public required WebApplication Provider { get; init; }

    /// <summary>The staff pages, signing in at <see cref="Provider"/>. Forwards to the services where they first started.</summary>
    public required WebApplication FrontEnd { get; init; }

    public required string PickupFolder { get; init; }

    /// <summary>The vhost's AMQP URL, to read its queues.</summary>
    public required string BusUrl { get; init; }

    /// <summary>Starts the three services; with <paramref name="clock"/>, all three stand on that clock.</summary>
    public static async Task<DistributedSystem> StartAsync(IClock? clock = null)
    {
        var postgres = await PostgresServer.SharedAsync();
        var rabbit = await RabbitMqServer.SharedAsync();
        var bus = new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Url"] = await rabbit.CreateVirtualHostAsync("e2e"),
            // A test drives a clinic's month in seconds: far more requests a minute than one coordinator makes.
            ["RateLimit:PermitLimit"] = "100000",
        };
        var frontEndAddress = $"http://127.0.0.1:{FreePort.Next()}";
        var provider = await StartProviderAsync([.. CodeFlow.ProviderClientSettings, .. FrontEndClient(frontEndAddress)]);
        foreach (var (key, value) in StaffTokensFrom(provider)) bus[key] = value;
        var pickup = Path.Combine(Path.GetTempPath(), $"dit-e2e-pickup-{Guid.NewGuid():N}");

        async Task<Dictionary<string, string?>> Settings(string service) =>
            new(bus.Concat(await TestDatabases.ConfigureAsync(service, "postgres")))
            {
                ["Notifications:Mail:PickupFolder"] = pickup,
            };

        var notificationsSettings = await Settings("Notifications");
        var referralsSettings = await Settings("Referrals");
        var scheduling = await StartHostAsync(await Settings("Scheduling"), [SchedulingService.Definition], clock);
        // Questionnaire links in reminders open scheduling's page; reminders are looked for every second.
        notificationsSettings["Notifications:Questionnaires:BaseUrl"] = BaseAddress(scheduling).ToString();
        notificationsSettings["Notifications:Reminders:PollSeconds"] = "1";
        var notifications = await StartHostAsync(notificationsSettings, [NotificationsService.Definition], clock);
        var referrals = await StartHostAsync(referralsSettings, [ReferralsService.Definition], clock);
        var frontEnd = await StartFrontEndAsync(frontEndAddress, provider, referrals, scheduling, notifications);
        var system = new DistributedSystem
        {
            Referrals = referrals, Scheduling = scheduling, Notifications = notifications, Provider = provider, FrontEnd = frontEnd,
            PickupFolder = pickup,
            BusUrl = bus["Bus:RabbitMq:Url"]!, _notificationsSettings = notificationsSettings,
            _referralsSettings = referralsSettings, _clock = clock,
        };
        system._hosts.AddRange([frontEnd, referrals, scheduling, notifications, provider]);
        return system;
    }

    private const string FrontEndClientId = "dit-web-e2e";
    private const string FrontEndClientSecret = "e2e-front-end-secret";

    /// <summary>The development provider on a port of its own, with its demo users and the clients in <paramref name="settings"/>.</summary>
    public static async Task<WebApplication> StartProviderAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        var values = new Dictionary<string, string?>
        {
            ["Identity:Provider:DemoUsers"] = "true",
            // A person with two roles, as a small clinic has: the coordinator who is also its clinical lead.
            ["Identity:Provider:Users:0:Id"] = "test-desk", ["Identity:Provider:Users:0:UserName"] = "desk",
            ["Identity:Provider:Users:0:Name"] = "Dana Desk", ["Identity:Provider:Users:0:Password"] = "test-desk",
            ["Identity:Provider:Users:0:Roles:0"] = "coordinator", ["Identity:Provider:Users:0:Roles:1"] = "clinical-lead",
            // A second therapist, to see that one therapist's patients are not another's.
            ["Identity:Provider:Users:1:Id"] = "test-therapist-2", ["Identity:Provider:Users:1:UserName"] = "therapist2",
            ["Identity:Provider:Users:1:Name"] = "Sam Second", ["Identity:Provider:Users:1:Password"] = "test-therapist2",
            ["Identity:Provider:Users:1:Roles:0"] = "therapist",
        };
        foreach (var (key, value) in settings) values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = Dit.Identity.DevelopmentProvider.BuildProcess(builder);
        await app.StartAsync();
        return app;
    }

    /// <summary>Settings that make a service accept access tokens from <paramref name="provider"/>.</summary>
    public static Dictionary<string, string?> StaffTokensFrom(WebApplication provider) => new()
    {
        ["Identity:Authority"] = BaseAddress(provider).ToString(),
        ["Identity:AllowHttpAuthority"] = "true",
    };

    /// <summary>
    /// Settings that register a staff front end at <paramref name="address"/> with the provider (as its second client): by its
    /// secret, or <paramref name="signed"/> by the key it publishes at <c>/account/jwks</c> (private_key_jwt).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> FrontEndClient(string address, bool signed = false) =>
    [
        new("Identity:Provider:Clients:1:ClientId", FrontEndClientId),
        signed ? new("Identity:Provider:Clients:1:JwksUri", $"{address}/account/jwks") : new("Identity:Provider:Clients:1:ClientSecret", FrontEndClientSecret),
        new("Identity:Provider:Clients:1:RedirectUris:0", $"{address}/signin-oidc"),
        new("Identity:Provider:Clients:1:PostLogoutRedirectUris:0", $"{address}/signout-callback-oidc"),
    ];

    /// <summary>The staff front end at <paramref name="address"/>, signing in at <paramref name="provider"/>, forwarding to the services given;
    /// on <paramref name="time"/> when given; signing its token requests with the key in <paramref name="assertionKeyFile"/> when given.</summary>
    public static async Task<WebApplication> StartFrontEndAsync(string address, WebApplication provider,
        WebApplication referrals, WebApplication scheduling, WebApplication notifications, TimeProvider? time = null, string? assertionKeyFile = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(StaffTokensFrom(provider))
        {
            ["Identity:SignIn:ClientId"] = FrontEndClientId,
            // With a key file the front end signs its token requests instead (private_key_jwt), and has no secret.
            [assertionKeyFile is null ? "Identity:SignIn:ClientSecret" : "Identity:SignIn:ClientAssertionKeyFile"] = assertionKeyFile ?? FrontEndClientSecret,
            ["Identity:SignIn:ClientAssertionAudience"] = "issuer",   // what OpenIddict 7 takes (CIS2: the token endpoint, the default)
            ["Web:Services:Referrals"] = BaseAddress(referrals).ToString(),
            ["Web:Services:Scheduling"] = BaseAddress(scheduling).ToString(),
            ["Web:Services:Notifications"] = BaseAddress(notifications).ToString(),
        });
        builder.WebHost.UseUrls(address);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null) builder.Services.AddSingleton(time);
        var app = Dit.Web.FrontEndProcess.Build(builder);
        await app.StartAsync();
        return app;
    }

    /// <summary>Stops the notifications service: what is published for it waits in its queues.</summary>
    public Task StopNotificationsAsync() => StopAsync(Notifications);

    /// <summary>Starts the notifications service again, on the same database and queues.</summary>
    public async Task StartNotificationsAsync()
    {
        Notifications = await StartHostAsync(_notificationsSettings, [NotificationsService.Definition], _clock);
        _hosts.Add(Notifications);
    }

    /// <summary>Stops the referrals service (its API too): what is published for it waits in its queues.</summary>
    public Task StopReferralsAsync() => StopAsync(Referrals);

    /// <summary>Starts the referrals service again, on the same database and queues, on a new port (<see cref="BaseAddress"/>).</summary>
    public async Task StartReferralsAsync()
    {
        Referrals = await StartHostAsync(_referralsSettings, [ReferralsService.Definition], _clock);
        _hosts.Add(Referrals);
    }

    private async Task StopAsync(WebApplication host)
    {
        await host.StopAsync();
        await host.DisposeAsync();
        _hosts.Remove(host);
    }

    public static async Task<WebApplication> StartHostAsync(Dictionary<string, string?> settings,
        ServiceDefinition[] services, IClock? clock = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (clock is not null) builder.Services.AddSingleton(clock);
        builder.AddServiceDefaults("dit-test", services);
        var app = builder.Build();
        app.MapServiceDefaults();
        await app.StartAsync();
        return app;
    }

    public static Uri BaseAddress(WebApplication host) =>
        new(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public Task AddTherapistAsync(string name, LocalTime from, LocalTime to) =>
        TherapistRoster.AddAsync(Scheduling.Services.GetRequiredService<SchedulingDatabase>(), name, 30,
            Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WeeklyHours(d, from, to)),
            SystemClock.Instance.GetCurrentInstant());

    public async Task<HttpClient> NewReferrerAsync(string name) => (await NewReferrerWithKeyAsync(name)).Client;

    public async Task<(HttpClient Client, string Key)> NewReferrerWithKeyAsync(string name)
    {
        var (_, key) = await Referrers.Holders.AddAsync(Referrals.Services.GetRequiredService<ReferralsDatabase>(), name,
            SystemClock.Instance.GetCurrentInstant());
        return (ClientFor(Referrals, key), key);
    }

    /// <summary>The complete mails in the pickup folder, oldest first, once <paramref name="count"/> have arrived.</summary>
    public async Task<string[]> WaitForMailsAsync(int count)
    {
        var mails = await Dit.Testing.PickupFolder.WaitForMailsAsync(PickupFolder, count);
        return mails.Length >= count ? mails : throw new TimeoutException($"Fewer than {count} mails in {PickupFolder} within 30 s.");
    }

    public async Task<(HttpClient Client, string Key)> NewCoordinatorAsync(string name)
    {
        var (_, key) = await Dit.Scheduling.Coordinators.CoordinatorRoster.Holders.AddAsync(
            this.Scheduling.Services.GetRequiredService<SchedulingDatabase>(), name, SystemClock.Instance.GetCurrentInstant());
        return (ClientFor(this.Scheduling, key), key);
    }

    /// <summary>A script's key on scheduling with <paramref name="roles"/> (<c>keys add --roles</c>), and a client of scheduling with it.</summary>
    public async Task<HttpClient> NewStaffKeyAsync(string name, params string[] roles)
    {
        var (_, key) = await Dit.Scheduling.Coordinators.CoordinatorRoster.Holders.AddAsync(
            Scheduling.Services.GetRequiredService<SchedulingDatabase>(), name, SystemClock.Instance.GetCurrentInstant(), roles: roles);
        return ClientFor(Scheduling, key);
    }

    public static HttpClient ClientFor(WebApplication host, string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress(host) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }
}
