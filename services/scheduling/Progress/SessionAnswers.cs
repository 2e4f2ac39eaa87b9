namespace Dit.Scheduling.Progress;

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
