using System.ComponentModel.DataAnnotations;

namespace Dit.Scheduling.Waitlist;

/// <summary>Section <c>Scheduling:Waitlist</c>: the waitlist is tried again every <c>RetrySeconds</c> (300), and whenever capacity may have freed.</summary>
public sealed class WaitlistSettings
{
    public const string Section = "Scheduling:Waitlist";

    [Range(0.01, 7 * 24 * 3600)]
    public double RetrySeconds { get; set; } = 300;
}
