using System.ComponentModel.DataAnnotations;

namespace Dit.Platform.Messaging;

/// <summary>
/// The bus, section <c>Bus</c>: RabbitMQ when <c>Transport</c> is <c>RabbitMq</c> (<c>RabbitMq:Url</c>, with its virtual
/// host), else MassTransit's in-memory transport (<c>InMemory:ConcurrentMessageLimit</c> consumers at once, default 1);
/// on RabbitMQ the consumer watchdog looks every <c>Watchdog:Seconds</c> (10). How failed messages are tried again:
/// <see cref="RetryPart"/> and <see cref="RedeliveryPart"/>.
/// </summary>
public sealed class BusSettings
{
    public const string Section = "Bus";

    [AllowedValues("InMemory", "RabbitMq")]
    public string Transport { get; set; } = "InMemory";

    public bool UsesRabbitMq => Transport.Equals("RabbitMq", StringComparison.OrdinalIgnoreCase);

    public RabbitMqPart RabbitMq { get; set; } = new();

    public InMemoryPart InMemory { get; set; } = new();

    public WatchdogPart Watchdog { get; set; } = new();

    public RetryPart Retry { get; set; } = new();

    public RedeliveryPart Redelivery { get; set; } = new();

    public sealed class RabbitMqPart
    {
        [AbsoluteUrl("amqp", "amqps")]
        public string Url { get; set; } = "amqp://guest:guest@localhost:5672/";
    }

    public sealed class InMemoryPart
    {
        /// <summary>One process does everything there: consumers that may run at once, so that requests still get a core.</summary>
        [Range(1, 64)]
        public int ConcurrentMessageLimit { get; set; } = 1;
    }

    public sealed class WatchdogPart
    {
        [Range(0.01, 7 * 24 * 3600)]
        public double Seconds { get; set; } = 10;
    }

    /// <summary>
    /// A message that failed for a transient reason is tried again first in its lane, <c>Bus:Retry:Limit</c> times (default
    /// 3) at once, 50 ms then three times longer each time up to <c>Bus:Retry:MaxIntervalSeconds</c> (default 0.5): well
    /// under a second, for a blip.
    /// </summary>
    public sealed class RetryPart
    {
        [Range(0, 100)]
        public int Limit { get; set; } = 3;

        [Range(0.05, 3600)]
        public double MaxIntervalSeconds { get; set; } = 0.5;

        /// <summary>The pause before in-lane retry number <paramref name="retry"/> (1, 2, …).</summary>
        public TimeSpan Interval(int retry) => TimeSpan.FromSeconds(Math.Min(MaxIntervalSeconds, 0.05 * Math.Pow(3, retry - 1)));
    }

    /// <summary>
    /// Then handed back through the outbox <c>Bus:Redelivery:Limit</c> times (default 6), the first after
    /// <c>Bus:Redelivery:FirstDelaySeconds</c> (default 5), each wait four times the one before, up to
    /// <c>Bus:Redelivery:MaxDelaySeconds</c> (default 1800) — about 45 minutes in all before the message goes to its error queue.
    /// </summary>
    public sealed class RedeliveryPart
    {
        [Range(0, 50)]
        public int Limit { get; set; } = 6;

        [Range(0.1, 3600)]
        public double FirstDelaySeconds { get; set; } = 5;

        [Range(0.1, 24 * 3600)]
        public double MaxDelaySeconds { get; set; } = 1800;

        /// <summary>The wait before redelivery number <paramref name="redelivery"/> (1, 2, …).</summary>
        public TimeSpan Delay(int redelivery) => TimeSpan.FromSeconds(Math.Min(MaxDelaySeconds, FirstDelaySeconds * Math.Pow(4, redelivery - 1)));
    }
}
