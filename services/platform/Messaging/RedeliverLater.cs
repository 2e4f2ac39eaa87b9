using Microsoft.Extensions.Options;
using Dit.Platform.Data;
using MassTransit;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Dit.Platform.Messaging;

public static class RedeliverLater
{
    /// <summary>How many times the message was handed back before this delivery.</summary>
    public const string Header = "Dit-Redelivery";
}

/// <summary>
/// Retries that free the lane: a consumer that still fails for a transient reason after its short in-lane retries
/// does not hold its queue (one booking lane waited 48 s behind one bad referral: issue 20). The message is
/// written to the owning service's outbox with a due time and acknowledged; the outbox relay sends it back to the same
/// queue, with the same MessageId, once due. RabbitMQ's delayed-message plugin is not needed (Debian's broker lacks it),
/// and the in-memory bus behaves the same. A message that has been handed back <see cref="BusSettings.RedeliveryPart.Limit"/>
/// times, or fails for a reason that will not pass (<see cref="Faults"/>), goes to its error queue.
/// </summary>
public sealed class RedeliverLater<T>(IEnumerable<ServiceDatabase> databases, IOptions<BusSettings> settings, IClock clock,
    ILogger<RedeliverLater<T>> logger) : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        for (var retry = 1; ; retry++)
        {
            try
            {
                await next.Send(context);
                return;
            }
            catch (Exception exception) when (Faults.IsTransient(exception) && !context.CancellationToken.IsCancellationRequested)
            {
                if (retry <= settings.Value.Retry.Limit)
                {
                    await Task.Delay(settings.Value.Retry.Interval(retry), context.CancellationToken);
                    continue;
                }
                if (context.MessageId is null || Redeliveries(context) >= settings.Value.Redelivery.Limit || OwnerOf(context) is not { } owner) throw;
                await HandBackAsync(context, owner, exception);
                return;
            }
        }
    }

    /// <summary>Writes the message to its service's outbox, due after the next back-off, and lets the lane go on.</summary>
    private async Task HandBackAsync(ConsumeContext<T> context, ServiceDatabase owner, Exception exception)
    {
        var queue = QueueOf(context);
        var redelivery = Redeliveries(context) + 1;
        var now = clock.GetCurrentInstant();
        var delay = settings.Value.Redelivery.Delay(redelivery);
        await Outbox.AddRedeliveryAsync(owner, queue, context.Message, context.MessageId!.Value, redelivery, now + Duration.FromTimeSpan(delay), now);
        logger.LogWarning("{MessageType} {MessageId} on {Queue} failed ({Fault}); handed back in {Delay} (redelivery {Redelivery} of {Limit})",
            typeof(T).Name, context.MessageId, queue, exception.GetType().Name, delay, redelivery, settings.Value.Redelivery.Limit);
    }

    private static int Redeliveries(ConsumeContext context) => context.Headers.Get<int>(RedeliverLater.Header) ?? 0;

    private static string QueueOf(ConsumeContext context) => context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];

    /// <summary>The database of the service whose queue this is: queue names begin <c>dit-{service}-</c> (<see cref="BusSetup.EndpointNames"/>).</summary>
    private ServiceDatabase? OwnerOf(ConsumeContext context)
    {
        var queue = QueueOf(context);
        return databases.FirstOrDefault(d => queue.StartsWith($"dit-{d.Service}-", StringComparison.OrdinalIgnoreCase));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("redeliverLater");
}
