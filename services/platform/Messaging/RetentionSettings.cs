using System.ComponentModel.DataAnnotations;

namespace Dit.Platform.Messaging;

/// <summary>How long sent outbox rows and inbox rows are kept, <c>Messaging:Retention</c> (<see cref="RetentionSweeper{TDatabase}"/>).</summary>
public sealed class RetentionSettings
{
    public const string Section = "Messaging:Retention";

    [Range(1, 3650)]
    public int Days { get; set; } = 7;

    [Range(1, 10_080)]
    public int SweepMinutes { get; set; } = 60;
}
