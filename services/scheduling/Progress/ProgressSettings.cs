using System.ComponentModel.DataAnnotations;

namespace Dit.Scheduling.Progress;

/// <summary>
/// Section <c>Scheduling:Progress</c>: DIT's three phases by session number (<c>Phases</c>, default "1-4,5-12,13-16":
/// initial, middle, ending; sessions after the last are in the ending phase), and how often courses whose last session
/// has passed are marked completed (<c>CompletionSeconds</c>, 300).
/// </summary>
public sealed class ProgressSettings : ICheckedSettings
{
    public const string Section = "Scheduling:Progress";
    private const string PhasesExpected = "three ranges of session numbers from 1, one after the other, up to 20 (\"1-4,5-12,13-16\")";

    [SettingPattern(@"^\s*\d{1,2}\s*-\s*\d{1,2}\s*,\s*\d{1,2}\s*-\s*\d{1,2}\s*,\s*\d{1,2}\s*-\s*\d{1,2}\s*$", PhasesExpected)]
    public string Phases { get; set; } = "1-4,5-12,13-16";

    [Range(0.01, 7 * 24 * 3600)]
    public double CompletionSeconds { get; set; } = 300;

    public CoursePhases CoursePhases
    {
        get
        {
            var ranges = Ranges();
            return new CoursePhases(ranges[1][0], ranges[2][0]);
        }
    }

    /// <summary>The three ranges, each [from, to] (the pattern has made sure there are three of two numbers).</summary>
    private int[][] Ranges() =>
        Phases.Split(',').Select(r => r.Split('-').Select(n => int.Parse(n.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();

    public void CheckTogether(string section)
    {
        var ranges = Ranges();
        var valid = ranges[0][0] == 1 && ranges.All(r => r[0] >= 1 && r[0] <= r[1])
                    && ranges[1][0] == ranges[0][1] + 1 && ranges[2][0] == ranges[1][1] + 1 && ranges[2][1] <= CourseShape.MaxSessions;
        if (!valid) throw new InvalidSettingException($"{section}:Phases", PhasesExpected, Phases);
    }
}
