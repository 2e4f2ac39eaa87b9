using System.Reflection;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Platform.Hosting;

/// <summary>
/// What one service brings to the process that hosts it: its database (whose assembly holds its migrations and its
/// consumers), who holds its keys, its OpenAPI document, the routes whose path carries a secret, what it adds to the
/// services, and its endpoints. <see cref="ServiceDefaults"/> puts around it what every service has.
/// </summary>
public abstract record ServiceDefinition(
    string Name,
    string Title,
    string Description,
    string KeyRole,
    KeyHolders KeyHolders,
    Action<WebApplicationBuilder> AddParts,
    Action<WebApplication> MapEndpoints)
{
    /// <summary>Route prefixes whose next path segment is a secret (<c>/calendar</c>): redacted from every log and trace.</summary>
    public IReadOnlyList<string> PrivateLinks { get; init; } = [];

    /// <summary>The service's assembly: its consumers and its migrations.</summary>
    public abstract Assembly Assembly { get; }

    /// <summary>The database, its migrations (run before anything else starts), its readiness check and its outbox.</summary>
    internal abstract void AddDatabase(IServiceCollection services);

    /// <summary>The service's <c>keys</c> command on its own database.</summary>
    internal abstract Task<int> RunKeysAsync(IConfiguration configuration, string[] arguments, TextWriter output);

    internal abstract Task<int> RunAuditAsync(IConfiguration configuration, string[] arguments, TextWriter output);

    /// <summary>The clinical lead's view of this service's audit trail, <c>/api/audit/{Name}</c>.</summary>
    internal abstract void MapAuditTrail(WebApplication app);
}

/// <summary>A service whose own database is <typeparamref name="TDatabase"/>.</summary>
public sealed record ServiceDefinition<TDatabase>(
    string Name,
    string Title,
    string Description,
    string KeyRole,
    KeyHolders KeyHolders,
    Action<WebApplicationBuilder> AddParts,
    Action<WebApplication> MapEndpoints)
    : ServiceDefinition(Name, Title, Description, KeyRole, KeyHolders, AddParts, MapEndpoints) where TDatabase : ServiceDatabase
{
    public override Assembly Assembly => typeof(TDatabase).Assembly;

    internal override void AddDatabase(IServiceCollection services)
    {
        services.AddSingleton<TDatabase>();
        services.AddSingleton<ServiceDatabase>(provider => provider.GetRequiredService<TDatabase>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TDatabase>>(typeof(TDatabase).Name, tags: ["ready"]);
        services.AddSingleton<Migrator<TDatabase>>();
        services.AddHostedService(provider => provider.GetRequiredService<Migrator<TDatabase>>());
        services.AddApiKeyHolders<TDatabase>(KeyRole, KeyHolders);
        services.AddServiceMessaging<TDatabase>();
    }

    internal override Task<int> RunKeysAsync(IConfiguration configuration, string[] arguments, TextWriter output) =>
        KeysCommand.RunAsync((TDatabase)Activator.CreateInstance(typeof(TDatabase), configuration)!, KeyHolders, arguments, output);

    internal override Task<int> RunAuditAsync(IConfiguration configuration, string[] arguments, TextWriter output) =>
        Audit.AuditCommand.RunAsync((TDatabase)Activator.CreateInstance(typeof(TDatabase), configuration)!, arguments, output);

    internal override void MapAuditTrail(WebApplication app) => Audit.AuditTrailApi.MapAuditTrailApi<TDatabase>(app, Name);
}
