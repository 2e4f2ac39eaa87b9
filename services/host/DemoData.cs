using Dit.Identity;
using Dit.Notifications.Mail;
using Dit.Platform.Http;
using Dit.Referrals;
using Dit.Referrals.Keys;
using Dit.Scheduling;
using Dit.Scheduling.Coordinators;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NodaTime;

namespace Dit.Host;

/// <summary>
/// Seeds the development host once: a demo referrer key and a demo coordinator key (the demo therapists are
/// scheduling's <c>Scheduling:DemoClinic</c>, the demo users the provider's <c>Identity:Provider:DemoUsers</c>, both on
/// here). Prints where everything is when the host has started.
/// </summary>
public sealed class DemoData(
    ReferralsDatabase referrals, SchedulingDatabase scheduling, MailOptions mail, IClock clock,
    IServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    public const string ReferrerKey = "demo-referrer-key";
    public const string CoordinatorKey = "demo-coordinator-key";
    public const string AdministratorKey = "demo-admin-key";

    /// <summary>
    /// Unless <c>Identity:Authority</c> names another provider, the staff pages sign people in at this host's own
    /// development provider: its issuer this host's address, the front end its one client with a secret made at start.
    /// </summary>
    public static void UseOwnSignIn(IConfiguration configuration, string publicUrl)
    {
        if (configuration["Identity:Authority"] is not null) return;
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        configuration["Identity:Authority"] = $"{publicUrl}/";
        configuration["Identity:AllowHttpAuthority"] = "true";
        configuration["Identity:SignIn:ClientSecret"] = secret;
        configuration["Identity:Provider:Issuer"] = $"{publicUrl}/";
        configuration["Identity:Provider:DemoUsers"] ??= "true";
        configuration["Identity:Provider:Clients:0:ClientId"] = configuration["Identity:SignIn:ClientId"] ?? "dit-web";
        configuration["Identity:Provider:Clients:0:ClientSecret"] = secret;
        configuration["Identity:Provider:Clients:0:RedirectUris:0"] = $"{publicUrl}/signin-oidc";
        configuration["Identity:Provider:Clients:0:PostLogoutRedirectUris:0"] = $"{publicUrl}/signout-callback-oidc";
    }

    /// <summary>Where the development host listens unless <c>ASPNETCORE_URLS</c> or <c>--urls</c> says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        if (await Referrers.Holders.FindByKeyHashAsync(referrals, ApiKeys.Hash(ReferrerKey), now) is null)
            await Referrers.Holders.AddAsync(referrals, "Demo Talking Therapies service", now, ReferrerKey);
        // The demo coordinator's and administrator's personal keys: each acts as its person, never expires, and is on the
        // trail as them.
        foreach (var (userName, key) in new[] { ("coordinator", CoordinatorKey), ("admin", AdministratorKey) })
        {
            var person = ProviderUser.Demo.Single(u => u.UserName == userName);
            if (await CoordinatorRoster.Holders.FindByKeyHashAsync(scheduling, ApiKeys.Hash(key), now) is null)
                await CoordinatorRoster.Holders.AddPersonalAsync(scheduling, new KeyHolders.KeyPerson(person.Id, person.Name, person.Roles),
                    $"Demo {person.Roles[0]} key", now, expires: null, key);
        }
        // Notifications learns the key from scheduling (StaffSync, every 2 s in this host), as in production.

        lifetime.ApplicationStarted.Register(() =>
        {
            var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var users = string.Join(Environment.NewLine, ProviderUser.Demo.Select(u =>
                $"    {u.UserName,-12} password {u.Password,-18} {string.Join(", ", u.Roles)}"));
            Console.WriteLine($"""

                DIT scheduling development host
                  listening on:     {string.Join(", ", urls)}
                  referrer key:     {ReferrerKey}
                  coordinator key:  {CoordinatorKey} (Casey Coordinator's personal key)
                  admin key:        {AdministratorKey} (Alex Administrator's: therapists, hours, leave, closed days)
                  staff pages:      {urls.FirstOrDefault()}/coordinator/ — sign in as
                {users}
                  mail pickup:      {mail.PickupFolder}
                  databases:        {Path.GetFullPath("data")}

                """);
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
