namespace Dit.Platform;

/// <summary>A setting that is an absolute URL with one of <see cref="Schemes"/>; when <see cref="Optional"/>, blank means unset.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteUrlAttribute(params string[] schemes) : Attribute
{
    public string[] Schemes { get; } = schemes;

    public bool Optional { get; init; }
}
