using System.ComponentModel.DataAnnotations;

namespace Dit.Notifications.Reminders;

/// <summary>
/// Section <c>Notifications:Reminders</c>: how long before each session reminders go (<c>MinutesBefore</c>, default
/// "1440,60"); due reminders are looked for every <c>PollSeconds</c> (15); a reminder claimed longer than
/// <c>ClaimSeconds</c> (300) ago was left by a process that stopped mid-send and is tried again.
/// </summary>
public sealed class ReminderOptions : ICheckedSettings
{
    public const string Section = "Notifications:Reminders";
    private const string MinutesExpected = "minutes before the session, from 1 to 20160, separated by commas";

    [SettingPattern(@"^\s*\d{1,5}\s*(,\s*\d{1,5}\s*)*$", MinutesExpected)]
    public string MinutesBefore { get; set; } = "1440,60";

    [Range(0.01, 7 * 24 * 3600)]
    public double PollSeconds { get; set; } = 15;

    [Range(1, 7 * 24 * 3600)]
    public double ClaimSeconds { get; set; } = 300;

    public IReadOnlyList<int> Offsets =>
        MinutesBefore.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => int.Parse(m, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public void CheckTogether(string section)
    {
        if (Offsets.Any(m => m is < 1 or > 20_160)) throw new InvalidSettingException($"{section}:MinutesBefore", MinutesExpected, MinutesBefore);
    }
}
