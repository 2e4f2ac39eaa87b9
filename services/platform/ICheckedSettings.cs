namespace Dit.Platform;

/// <summary>Settings whose values depend on each other: checked together once bound; a bad combination throws <see cref="InvalidSettingException"/>.</summary>
public interface ICheckedSettings
{
    void CheckTogether(string section);
}
