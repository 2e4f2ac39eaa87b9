namespace Dit.Contracts;

/// <summary>
/// DIT's three phases by session number — initial, middle, ending — as the first session of the middle and of the ending
/// phase (by default 1–4, 5–12, 13–16). Sessions after the last of a course's booked length are in the ending phase.
/// </summary>
public sealed record CoursePhases(int MiddleFrom, int EndingFrom)
{
    public static CoursePhases Standard { get; } = new(5, 13);

    public string For(int session) => session < MiddleFrom ? "initial" : session < EndingFrom ? "middle" : "ending";

    public IReadOnlyList<PhaseView> Describe(int lastSession) =>
    [
        new("initial", 1, MiddleFrom - 1),
        new("middle", MiddleFrom, EndingFrom - 1),
        new("ending", EndingFrom, Math.Max(lastSession, EndingFrom)),
    ];

    /// <summary>"Sessions 1–4 are the initial phase, 5–12 the middle phase and 13–16 the ending phase."</summary>
    public string Sentence(int lastSession) =>
        $"Sessions 1–{MiddleFrom - 1} are the initial phase, {MiddleFrom}–{EndingFrom - 1} the middle phase and {EndingFrom}–{Math.Max(lastSession, EndingFrom)} the ending phase.";
}
