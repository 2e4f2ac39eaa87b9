using System.ComponentModel.DataAnnotations;

namespace Dit.Platform.Audit;

/// <summary>
/// <c>Audit</c>: how long the trail is kept. Eight years at least — the databases refuse to delete younger rows
/// (migration 9005) — apart from the 7-day retention of the message tables.
/// </summary>
public sealed class AuditSettings
{
    public const string Section = "Audit";

    [Range(8, 100)]
    public int RetentionYears { get; set; } = 8;
}
