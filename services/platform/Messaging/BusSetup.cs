using System.Reflection;
using Dit.Platform.Data;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dit.Platform.Messaging;

/// <summary>The consumer assemblies the services in this process asked for; read once when the bus is set up.</summary>
public sealed class ConsumerAssemblies
{
    public List<Assembly> Assemblies { get; } = [];
}

public static class BusSetup
{
    /// <summary>Queue names carry the namespace, so two services' consumers of one event never share a queue.</summary>
    public static readonly IEndpointNameFormatter EndpointNames = new KebabCaseEndpointNameFormatter(includeNamespace: true);

    /// <summary>The broker, with its virtual host: <c>Bus:RabbitMq:Url</c>.</summary>
    public static Uri RabbitMqUrl(IConfiguration configuration) =>
        Settings.AbsoluteUri(configuration, "Bus:RabbitMq:Url", "amqp://guest:guest@localhost:5672/", "amqp", "amqps");

    /// <summary>The queue of each consumer in <paramref name="consumers"/>, as <see cref="EndpointNames"/> names them.</summary>
    public static List<string> ConsumerQueues(Assembly consumers)
    {
        var consumerName = typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!;
        return consumers.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)))
            .Select(t => (string)consumerName.MakeGenericMethod(t).Invoke(EndpointNames, null)!)
            .Order()
            .ToList();
    }

    /// <summary>Registers a service's consumers (found in its assembly), its outbox relay and its outbox and inbox sweeper.</summary>
    public static IServiceCollection AddServiceMessaging<TDatabase>(this IServiceCollection services, Assembly consumers)
        where TDatabase : ServiceDatabase
    {
        var registered = services.FirstOrDefault(d => d.ServiceType == typeof(ConsumerAssemblies))?.ImplementationInstance as ConsumerAssemblies;
        if (registered is null)
        {
            registered = new ConsumerAssemblies();
            services.AddSingleton(registered);
        }
        if (!registered.Assemblies.Contains(consumers)) registered.Assemblies.Add(consumers);
        services.AddHostedService<OutboxRelay<TDatabase>>();
        services.AddHostedService<RetentionSweeper<TDatabase>>();
        return services;
    }

    /// <summary>
    /// Sets up MassTransit once for every service in this process: RabbitMQ when <c>Bus:Transport</c>
    /// is <c>RabbitMq</c> (URL in <c>Bus:RabbitMq:Url</c>), else the in-memory transport.
    /// </summary>
    public static IServiceCollection AddDitBus(this IServiceCollection services, IConfiguration configuration)
    {
        var consumers = services.FirstOrDefault(d => d.ServiceType == typeof(ConsumerAssemblies))?.ImplementationInstance as ConsumerAssemblies
            ?? new ConsumerAssemblies();
        var transport = Settings.OneOf(configuration, "Bus:Transport", "InMemory", "InMemory", "RabbitMq");
        // Failures that may pass (Faults.IsTransient) are tried again a few times at once, for well under a second in all;
        // then RedeliverLater hands the message back through the outbox with back-off, freeing the lane. Anything else —
        // bad data, a bug — goes to the consumer's _error queue at once, from where the service's `errors replay`
        // command puts it back: one caller's trouble never holds up anyone else's messages. (RedeliverLater does the
        // in-lane retries itself: MassTransit's retry filter would sit outside it and retry what it had handed back.)
        services.TryAddSingleton(RedeliveryOptions.From(configuration));

        // A service is not up until its queues exist and are bound: a message published before then
        // would reach an exchange with nobody behind it. MassTransit keeps retrying the broker meanwhile.
        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromMinutes(2);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(bus =>
        {
            // MassTransit (8.4 on) reports usage to its vendor unless told not to: an NHS service calls no third party.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(EndpointNames);
            foreach (var assembly in consumers.Assemblies) bus.AddConsumers(assembly);

            if (transport.Equals("RabbitMq", StringComparison.OrdinalIgnoreCase))
            {
                services.AddHostedService<ConsumerWatchdog>();
                services.AddSingleton<ConsumerCheck>();
                services.AddHealthChecks().AddCheck<ConsumerCheck>("consumers", tags: ["ready"]);
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(RabbitMqUrl(configuration));
                    cfg.UseConsumeFilter(typeof(RedeliverLater<>), context);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else if (transport.Equals("InMemory", StringComparison.OrdinalIgnoreCase))
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    // One process does everything here: consumers that may run at once, so that requests still get a core.
                    cfg.ConcurrentMessageLimit = Settings.Int(configuration, "Bus:InMemory:ConcurrentMessageLimit", 1, 1, 64);
                    cfg.UseConsumeFilter(typeof(RedeliverLater<>), context);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                throw new InvalidOperationException($"Unknown Bus:Transport '{transport}': use 'RabbitMq' or 'InMemory'.");
            }
        });
        return services;
    }

    /// <summary>
    /// Worker threads the pool keeps ready. Microsoft.Data.Sqlite does its I/O, and its waits for the write lock,
    /// synchronously on the calling thread, and so do parts of the consumers' pipeline: under load on 2 cores the pool's
    /// default (one thread a core, more added slowly) left requests queued behind blocked threads — the development
    /// host's intake p99 was 1.6 s at 200 referrals a second, 28 ms with 64 threads ready (docs/benchmarks.md).
    /// </summary>
    public const int MinWorkerThreads = 64;

    public static IServiceCollection AddServiceDatabase<TDatabase>(this IServiceCollection services) where TDatabase : ServiceDatabase
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinWorkerThreads) ThreadPool.SetMinThreads(MinWorkerThreads, completionPorts);
        services.TryAddSingleton(NodaTime.SystemClock.Instance as NodaTime.IClock);
        services.AddSingleton<TDatabase>();
        services.AddSingleton<ServiceDatabase>(provider => provider.GetRequiredService<TDatabase>());
        services.AddHealthChecks().AddCheck<Http.DatabaseHealthCheck<TDatabase>>($"{typeof(TDatabase).Name}", tags: ["ready"]);
        services.AddSingleton<Migrator<TDatabase>>();
        services.AddHostedService(sp => sp.GetRequiredService<Migrator<TDatabase>>());
        return services;
    }
}
