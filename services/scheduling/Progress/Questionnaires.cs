namespace Dit.Scheduling.Progress;

/// <summary>One published measure: its items in the published wording and the answers each item takes.</summary>
public sealed record Questionnaire(string Id, string Title, string Question, IReadOnlyList<string> Items, IReadOnlyList<AnswerOption> Options)
{
    public int Max => Options.Max(o => o.Value) * Items.Count;
}

public sealed record AnswerOption(int Value, string Label);

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

/// <summary>A session's answers, item by item; totals follow from them.</summary>
public sealed record SessionAnswers(IReadOnlyList<int> Phq9, IReadOnlyList<int> Gad7, IReadOnlyList<int>? Wsas)
{
    public int Phq9Total => Phq9.Sum();

    public int Gad7Total => Gad7.Sum();

    public int? WsasTotal => Wsas?.Sum();

    /// <summary>PHQ-9 item 9: thoughts of being better off dead or of self-harm, on any day, flags the course for clinical review.</summary>
    public bool RiskAnswered => Phq9[8] > 0;

    /// <summary>
    /// Checks every item of <paramref name="answers"/> against <paramref name="questionnaires"/> (the measures due that
    /// session): a missing or out-of-range answer is an error named "phq9.3" (item 3), a measure not due is refused.
    /// </summary>
    public static (SessionAnswers? Answers, Dictionary<string, string> Errors) Check(
        IReadOnlyList<Questionnaire> questionnaires, IReadOnlyDictionary<string, IReadOnlyList<int?>?> answers)
    {
        var errors = new Dictionary<string, string>();
        var complete = new Dictionary<string, IReadOnlyList<int>>();
        foreach (var (id, given) in answers)
            if (given is not null && questionnaires.All(q => q.Id != id))
                errors[id] = $"The {id.ToUpperInvariant()} is not asked at this session.";
        foreach (var questionnaire in questionnaires)
        {
            var given = answers.GetValueOrDefault(questionnaire.Id);
            var items = new List<int>();
            for (var i = 0; i < questionnaire.Items.Count; i++)
            {
                var value = given is not null && i < given.Count ? given[i] : null;
                if (value is null) errors[$"{questionnaire.Id}.{i + 1}"] = $"{questionnaire.Title} question {i + 1}: choose an answer.";
                else if (questionnaire.Options.All(o => o.Value != value))
                    errors[$"{questionnaire.Id}.{i + 1}"] = $"{questionnaire.Title} question {i + 1}: {value} is not one of the answers ({questionnaire.Options.Min(o => o.Value)} to {questionnaire.Options.Max(o => o.Value)}).";
                else items.Add(value.Value);
            }
            if (given is not null && given.Count > questionnaire.Items.Count)
                errors[questionnaire.Id] = $"{questionnaire.Title} has {questionnaire.Items.Count} questions, not {given.Count}.";
            complete[questionnaire.Id] = items;
        }
        return errors.Count > 0
            ? (null, errors)
            : (new SessionAnswers(complete["phq9"], complete["gad7"], complete.GetValueOrDefault("wsas")), errors);
    }
}
