namespace Dit.Platform;

public sealed class InvalidSettingException(string key, string expected, string value)
    : Exception($"Setting {key} must be {expected} (was '{value}').")
{
    public string Key { get; } = key;
}
