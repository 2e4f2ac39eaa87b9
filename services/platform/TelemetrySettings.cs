using System.ComponentModel.DataAnnotations;

namespace Dit.Platform;

/// <summary>Section <c>Telemetry</c>: traces and metrics go to <c>Otlp:Endpoint</c> (OTLP over HTTP) when it is set, every <c>ExportSeconds</c>.</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    public OtlpPart Otlp { get; set; } = new();

    [Range(1, 300)]
    public int ExportSeconds { get; set; } = 5;

    public sealed class OtlpPart
    {
        [AbsoluteUrl("http", "https", Optional = true)]
        public string? Endpoint { get; set; }
    }
}
