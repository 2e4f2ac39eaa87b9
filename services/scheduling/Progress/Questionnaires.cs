namespace Dit.Scheduling.Progress;

/// <summary>
/// PHQ-9 and GAD-7 (every session) and the Work and Social Adjustment Scale (sessions 1, 8 and the last), worded as
/// published (PHQ-9 and GAD-7: Spitzer, Williams, Kroenke et al., free to use; WSAS: Mundt et al. 2002, as NHS Talking
/// Therapies services use it).
/// </summary>
public static class Questionnaires
{
    private static readonly AnswerOption[] Frequency =
        [new(0, "Not at all"), new(1, "Several days"), new(2, "More than half the days"), new(3, "Nearly every day")];

    public static readonly Questionnaire Phq9 = new("phq9", "PHQ-9",
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
        [
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        ], Frequency);

    public static readonly Questionnaire Gad7 = new("gad7", "GAD-7",
        "Over the last 2 weeks, how often have you been bothered by the following problems?",
        [
            "Feeling nervous, anxious or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid as if something awful might happen",
        ], Frequency);

    public static readonly Questionnaire Wsas = new("wsas", "Work and Social Adjustment Scale",
        "People's problems sometimes affect their ability to do certain day-to-day tasks in their lives. How much do your problems impair your ability to carry out each of these activities?",
        [
            "Because of my problems my ability to work is impaired",
            "Because of my problems my home management (cleaning, tidying, shopping, cooking, looking after home or children, paying bills) is impaired",
            "Because of my problems my social leisure activities (with other people, e.g. parties, bars, clubs, outings, visits, dating, home entertaining) are impaired",
            "Because of my problems my private leisure activities (done alone, such as reading, gardening, collecting, sewing, walking alone) are impaired",
            "Because of my problems my ability to form and maintain close relationships with others, including those I live with, is impaired",
        ],
        [new(0, "0 — Not at all"), new(1, "1"), new(2, "2 — Slightly"), new(3, "3"), new(4, "4 — Definitely"), new(5, "5"), new(6, "6 — Markedly"), new(7, "7"), new(8, "8 — Very severely")]);

    /// <summary>PHQ-9 at or above this is a case of depression (NHS Talking Therapies).</summary>
    public const int Phq9Caseness = 10;

    /// <summary>GAD-7 at or above this is a case of anxiety.</summary>
    public const int Gad7Caseness = 8;

    /// <summary>The measures asked at a session: WSAS only at the first, the eighth and the course's last.</summary>
    public static IReadOnlyList<Questionnaire> For(int session, int lastSession) =>
        session == 1 || session == 8 || session == lastSession ? [Phq9, Gad7, Wsas] : [Phq9, Gad7];
}
