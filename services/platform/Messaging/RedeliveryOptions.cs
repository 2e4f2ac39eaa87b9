namespace Dit.Platform.Messaging;

/// <summary>
/// How a message that failed for a transient reason is tried again. First in the lane, <c>Bus:Retry:Limit</c> times
/// (default 3) at once, 50 ms then three times longer each time up to <c>Bus:Retry:MaxIntervalSeconds</c> (default 0.5):
/// well under a second, for a blip. Then handed back through the outbox <c>Bus:Redelivery:Limit</c> times (default 6),
/// the first after <c>Bus:Redelivery:FirstDelaySeconds</c> (default 5), each wait four times the one before, up to
/// <c>Bus:Redelivery:MaxDelaySeconds</c> (default 1800) — about 45 minutes in all before the message goes to its error queue.
/// </summary>
public sealed record RedeliveryOptions(int InLaneRetries, TimeSpan MaxInLaneInterval, int Limit, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static RedeliveryOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration) => new(
        Settings.Int(configuration, "Bus:Retry:Limit", 3, 0, 100),
        Settings.Seconds(configuration, "Bus:Retry:MaxIntervalSeconds", 0.5, 0.05, 3600),
        Settings.Int(configuration, "Bus:Redelivery:Limit", 6, 0, 50),
        Settings.Seconds(configuration, "Bus:Redelivery:FirstDelaySeconds", 5, 0.1, 3600),
        Settings.Seconds(configuration, "Bus:Redelivery:MaxDelaySeconds", 1800, 0.1, 24 * 3600));

    /// <summary>The pause before in-lane retry number <paramref name="retry"/> (1, 2, …).</summary>
    public TimeSpan InLaneInterval(int retry) =>
        TimeSpan.FromSeconds(Math.Min(MaxInLaneInterval.TotalSeconds, 0.05 * Math.Pow(3, retry - 1)));

    /// <summary>The wait before redelivery number <paramref name="redelivery"/> (1, 2, …).</summary>
    public TimeSpan Delay(int redelivery) =>
        TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(4, redelivery - 1)));
}
