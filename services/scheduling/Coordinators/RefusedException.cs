namespace Dit.Scheduling.Coordinators;

/// <summary>Carries a refusal out of the transaction so that nothing it did is kept.</summary>
public sealed class RefusedException(MoveRefusal refusal) : Exception(refusal.Message)
{
    public MoveRefusal Refusal { get; } = refusal;
}
