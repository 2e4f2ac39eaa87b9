namespace Dit.Platform;

/// <summary>A setting written in a form of its own: it must match <see cref="Pattern"/>; <see cref="Expected"/> says the form.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingPatternAttribute(string pattern, string expected) : Attribute
{
    public string Pattern { get; } = pattern;

    public string Expected { get; } = expected;
}
