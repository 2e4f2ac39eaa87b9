using System.Reflection;
using Dit.Platform.Data;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Platform.Messaging;

public static class BusSetup
{
    /// <summary>Queue names carry the namespace, so two services' consumers of one event never share a queue.</summary>
    public static readonly IEndpointNameFormatter EndpointNames = new KebabCaseEndpointNameFormatter(includeNamespace: true);

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

    /// <summary>Registers a service's outbox relay and its outbox and inbox sweeper.</summary>
    public static IServiceCollection AddServiceMessaging<TDatabase>(this IServiceCollection services) where TDatabase : ServiceDatabase
    {
        services.AddHostedService<OutboxRelay<TDatabase>>();
        services.AddHostedService<RetentionSweeper<TDatabase>>();
        return services;
    }

    /// <summary>
    /// Sets up MassTransit for every service in this process, with the consumers found in <paramref name="consumers"/>:
    /// RabbitMQ when <c>Bus:Transport</c> is <c>RabbitMq</c>, else the in-memory transport (<see cref="BusSettings"/>).
    /// </summary>
    public static IServiceCollection AddDitBus(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<Assembly> consumers)
    {
        var bus = Settings.Read<BusSettings>(configuration, BusSettings.Section);
        services.AddSettings<BusSettings>(BusSettings.Section);
        services.AddSingleton(new ConsumerAssemblies(consumers));
        // Failures that may pass (Faults.IsTransient) are tried again a few times at once, for well under a second in all;
        // then RedeliverLater hands the message back through the outbox with back-off, freeing the lane. Anything else —
        // bad data, a bug — goes to the consumer's _error queue at once, from where the service's `errors replay`
        // command puts it back: one caller's trouble never holds up anyone else's messages. (RedeliverLater does the
        // in-lane retries itself: MassTransit's retry filter would sit outside it and retry what it had handed back.)

        // A service is not up until its queues exist and are bound: a message published before then
        // would reach an exchange with nobody behind it. MassTransit keeps retrying the broker meanwhile.
        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromMinutes(2);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(setup =>
        {
            // MassTransit (8.4 on) reports usage to its vendor unless told not to: an NHS service calls no third party.
            setup.DisableUsageTelemetry();
            setup.SetEndpointNameFormatter(EndpointNames);
            foreach (var assembly in consumers) setup.AddConsumers(assembly);

            if (bus.UsesRabbitMq)
            {
                services.AddHostedService<ConsumerWatchdog>();
                services.AddSingleton<ConsumerCheck>();
                services.AddHealthChecks().AddCheck<ConsumerCheck>("consumers", tags: ["ready"]);
                setup.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(bus.RabbitMq.Url));
                    cfg.UseConsumeFilter(typeof(RedeliverLater<>), context);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                setup.UsingInMemory((context, cfg) =>
                {
                    cfg.ConcurrentMessageLimit = bus.InMemory.ConcurrentMessageLimit;
                    cfg.UseConsumeFilter(typeof(RedeliverLater<>), context);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }
}
