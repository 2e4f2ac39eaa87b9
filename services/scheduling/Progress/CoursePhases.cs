namespace Dit.Scheduling.Progress;

/// <summary>
/// DIT's three phases by session number (<c>Scheduling:Progress:Phases</c>, default "1-4,5-12,13-16": initial, middle,
/// ending). Sessions beyond the last boundary — an extended course's 17th to 20th — are in the ending phase.
/// </summary>
public sealed record CoursePhases(int MiddleFrom, int EndingFrom)
{
    public static CoursePhases Default { get; } = new(5, 13);

    public string For(int session) => session < MiddleFrom ? "initial" : session < EndingFrom ? "middle" : "ending";

    public IReadOnlyList<PhaseView> Describe(int lastSession) =>
    [
        new("initial", 1, MiddleFrom - 1),
        new("middle", MiddleFrom, EndingFrom - 1),
        new("ending", EndingFrom, Math.Max(lastSession, EndingFrom)),
    ];

    public static CoursePhases From(IConfiguration configuration)
    {
        const string key = "Scheduling:Progress:Phases";
        if (configuration[key] is not { } text) return Default;
        var ranges = text.Split(',', StringSplitOptions.TrimEntries)
            .Select(r => r.Split('-', StringSplitOptions.TrimEntries))
            .Select(r => r.Length == 2 && int.TryParse(r[0], out var from) && int.TryParse(r[1], out var to) ? (from, to) : (0, 0))
            .ToList();
        var valid = ranges.Count == 3 && ranges[0].Item1 == 1 && ranges.All(r => r.Item1 >= 1 && r.Item1 <= r.Item2)
                    && ranges[1].Item1 == ranges[0].Item2 + 1 && ranges[2].Item1 == ranges[1].Item2 + 1 && ranges[2].Item2 <= 20;
        return valid
            ? new CoursePhases(ranges[1].Item1, ranges[2].Item1)
            : throw new Dit.Platform.InvalidSettingException(key, "three ranges of session numbers from 1, one after the other, up to 20 (\"1-4,5-12,13-16\")", text);
    }
}

public sealed record PhaseView(string Name, int From, int To);
