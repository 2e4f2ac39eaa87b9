namespace Dit.Scheduling.Progress;

/// <summary>A course's progress as the clinic sees it: each session's phase, measures due and scores, the risk flag, the outcome.</summary>
public sealed record CourseProgress(
    Guid CourseId, string Status, int LastSession, IReadOnlyList<PhaseView> Phases, Caseness Caseness,
    IReadOnlyList<SessionProgress> Sessions, ClinicalReview? ClinicalReview, CourseOutcome? Outcome, bool OutcomeFinal, string? EndedReason)
{
    public static async Task<CourseProgress?> LoadAsync(SchedulingDatabase database, CoursePhases phases, string courseId)
    {
        await using var connection = await database.OpenAsync();
        var course = await connection.QuerySingleOrDefaultAsync<(string Status, long? ReviewSince, long? ReviewSession, string? ReviewedBy, string? EndedReason)>(
            "select status, clinical_review_since, clinical_review_session, clinical_reviewed_by, ended_reason from courses where id = @courseId",
            new { courseId });
        if (course.Status is null) return null;
        var sessions = (await connection.QueryAsync<(long Number, string LocalStart, string Status, string? Attendance)>(
            "select session_number, local_start, status, attendance from appointments where course_id = @courseId order by session_number",
            new { courseId })).ToList();
        var scores = (await SessionScores.ForCourseAsync(connection, null, courseId)).ToDictionary(s => s.SessionNumber);
        var last = CourseShape.Standard.LengthWith(sessions.Select(s => (int)s.Number));
        return new CourseProgress(Guid.Parse(courseId), course.Status, last, phases.Describe(last),
            new Caseness(Questionnaires.Phq9Caseness, Questionnaires.Gad7Caseness),
            sessions.Select(s => new SessionProgress((int)s.Number, phases.For((int)s.Number), s.LocalStart, s.Status, s.Attendance,
                Questionnaires.For((int)s.Number, last).Select(q => q.Id).ToList(),
                scores.TryGetValue(s.Number, out var score) ? SessionScoresView.From(score) : null)).ToList(),
            course.ReviewSince is { } since
                ? new ClinicalReview(Instant.FromUnixTimeMilliseconds(since).ToDateTimeOffset(), (int)course.ReviewSession!.Value, course.ReviewedBy)
                : null,
            CourseOutcome.From(scores.Values.Select(s => s.Totals)), course.Status is "completed" or "ended", course.EndedReason);
    }
}
