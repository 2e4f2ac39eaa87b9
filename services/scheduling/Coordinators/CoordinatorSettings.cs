using System.ComponentModel.DataAnnotations;

namespace Dit.Scheduling.Coordinators;

/// <summary>Section <c>Scheduling:Coordinators</c>: coordinator keys are sent to the other services every <c>SyncSeconds</c> (30) when they change.</summary>
public sealed class CoordinatorSettings
{
    public const string Section = "Scheduling:Coordinators";

    [Range(0.01, 7 * 24 * 3600)]
    public double SyncSeconds { get; set; } = 30;
}
