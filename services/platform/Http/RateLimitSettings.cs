using System.ComponentModel.DataAnnotations;

namespace Dit.Platform.Http;

/// <summary>
/// Section <c>RateLimit</c>: <c>PermitLimit</c> requests per <c>WindowSeconds</c> for each API key holder (default 120 a
/// minute), and <c>PrivateLinks:PermitLimit</c> per <c>PrivateLinks:WindowSeconds</c> for each client address on the
/// private links (default 60 a minute: a calendar polls hourly, a patient fills in one form).
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimit";

    [Range(1, 100_000_000)]
    public int PermitLimit { get; set; } = 120;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    public PrivateLinksPart PrivateLinks { get; set; } = new();

    public sealed class PrivateLinksPart
    {
        [Range(1, 100_000_000)]
        public int PermitLimit { get; set; } = 60;

        [Range(1, 86_400)]
        public int WindowSeconds { get; set; } = 60;
    }
}
