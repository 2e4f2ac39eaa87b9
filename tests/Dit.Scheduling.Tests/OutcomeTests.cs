using Dit.Scheduling.Progress;

namespace Dit.Scheduling.Tests;

/// <summary>The NHS Talking Therapies outcome definitions on worked examples (first and last scored sessions count).</summary>
public sealed class OutcomeTests
{
    private static CourseOutcome Outcome(params (int Session, int Phq9, int Gad7)[] scores) =>
        CourseOutcome.From(scores.Select(s => new ScoredSession(s.Session, s.Phq9, s.Gad7)))!;

    [Fact]
    public void A_case_at_the_start_below_both_thresholds_at_the_end_with_a_reliable_fall_is_reliable_recovery()
    {
        var outcome = Outcome((1, 15, 12), (8, 11, 9), (16, 6, 5));
        Assert.Equal((true, true, true, false, true), (outcome.CaseAtStart, outcome.Recovered, outcome.ReliableImprovement, outcome.ReliableDeterioration, outcome.ReliableRecovery));
        Assert.Equal("Reliable recovery", outcome.Summary);
        Assert.Equal((3, 1, 16), (outcome.ScoredSessions, outcome.FirstSession, outcome.LastSession));
    }

    [Fact]
    public void Recovered_without_a_reliable_change_is_recovery_but_not_reliable_recovery()
    {
        // PHQ-9 11 is a case; 8 and 6 at the end are below both thresholds; falls of 3 and 1 are not reliable.
        var outcome = Outcome((1, 11, 7), (16, 8, 6));
        Assert.Equal((true, true, false, false, false), (outcome.CaseAtStart, outcome.Recovered, outcome.ReliableImprovement, outcome.ReliableDeterioration, outcome.ReliableRecovery));
    }

    [Fact]
    public void A_reliable_fall_that_leaves_the_patient_a_case_is_reliable_improvement_without_recovery()
    {
        var outcome = Outcome((1, 20, 15), (16, 13, 10));
        Assert.Equal((true, false, true, false, false), (outcome.CaseAtStart, outcome.Recovered, outcome.ReliableImprovement, outcome.ReliableDeterioration, outcome.ReliableRecovery));
        Assert.Equal("Reliable improvement, not recovered", outcome.Summary);
    }

    [Fact]
    public void A_rise_of_6_in_PHQ9_is_reliable_deterioration_and_recovery_is_not_asked_of_a_patient_who_was_not_a_case()
    {
        var outcome = Outcome((1, 8, 5), (16, 14, 6));
        Assert.Equal((false, null, false, true, null), (outcome.CaseAtStart, outcome.Recovered, outcome.ReliableImprovement, outcome.ReliableDeterioration, outcome.ReliableRecovery));
    }

    [Fact]
    public void A_reliable_fall_in_one_measure_with_a_reliable_rise_in_the_other_is_neither_improvement_nor_deterioration()
    {
        var outcome = Outcome((1, 16, 4), (16, 10, 8));   // PHQ-9 down 6, GAD-7 up 4
        Assert.False(outcome.ReliableImprovement);
        Assert.False(outcome.ReliableDeterioration);
        Assert.Equal("No reliable change", outcome.Summary);
    }

    [Theory]
    [InlineData(10, 0, true)]    // PHQ-9 10 is a case
    [InlineData(9, 7, false)]    // just below both
    [InlineData(0, 8, true)]     // GAD-7 8 is a case
    public void Caseness_is_PHQ9_10_or_more_or_GAD7_8_or_more(int phq9, int gad7, bool isCase) =>
        Assert.Equal(isCase, new ScoredSession(1, phq9, gad7).IsCase);

    [Theory]
    [InlineData(16, 10, 10, 10, true)]    // PHQ-9 down exactly 6
    [InlineData(16, 10, 11, 10, false)]   // down 5
    [InlineData(8, 12, 8, 8, true)]       // GAD-7 down exactly 4
    [InlineData(8, 12, 8, 9, false)]      // down 3
    public void A_change_is_reliable_from_6_points_of_PHQ9_or_4_of_GAD7(int phq9First, int gad7First, int phq9Last, int gad7Last, bool reliable) =>
        Assert.Equal(reliable, Outcome((1, phq9First, gad7First), (16, phq9Last, gad7Last)).ReliableImprovement);

    [Fact]
    public void The_first_and_last_scored_sessions_count_whatever_order_they_come_in_and_one_score_is_no_outcome()
    {
        Assert.Null(CourseOutcome.From([new ScoredSession(3, 20, 15)]));
        Assert.Null(CourseOutcome.From([]));
        var outcome = Outcome((9, 25, 20), (2, 18, 14), (5, 8, 4));   // first is session 2, last session 9
        Assert.Equal((2, 9), (outcome.FirstSession, outcome.LastSession));
        Assert.True(outcome.ReliableDeterioration);
    }

    [Fact]
    public void Answers_are_checked_item_by_item_naming_each_missing_or_impossible_answer()
    {
        var phq9 = new int?[] { 0, 1, 2, 3, 0, 1, 2, null, 1 };
        var gad7 = new int?[] { 0, 1, 2, 4, 0, 1, 2 };
        var (answers, errors) = SessionAnswers.Check(Questionnaires.For(2, 16),
            new Dictionary<string, IReadOnlyList<int?>?> { ["phq9"] = phq9, ["gad7"] = gad7, ["wsas"] = [1, 1, 1, 1, 1] });
        Assert.Null(answers);
        Assert.Equal(["gad7.4", "phq9.8", "wsas"], errors.Keys.Order());
        Assert.Contains("choose an answer", errors["phq9.8"]);
        Assert.Contains("not asked at this session", errors["wsas"]);
    }

    [Fact]
    public void WSAS_is_asked_at_the_first_the_eighth_and_the_last_session_of_a_course_of_any_length()
    {
        Assert.Equal([1, 8, 16], Enumerable.Range(1, 16).Where(n => Questionnaires.For(n, 16).Contains(Questionnaires.Wsas)));
        Assert.Equal([1, 8, 20], Enumerable.Range(1, 20).Where(n => Questionnaires.For(n, 20).Contains(Questionnaires.Wsas)));
    }
}
