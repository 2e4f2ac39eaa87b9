using System.Text.Json;

namespace Dit.Scheduling.Progress;

/// <summary>Writes and reads a course's scores; the course's risk flag and outcome follow from them.</summary>
public static class SessionScores
{
    /// <summary>
    /// Keeps <paramref name="answers"/> for the session (replacing earlier ones: an answer may be corrected), flags the
    /// course for clinical review when PHQ-9 item 9 is above 0, and publishes the outcome again when the course has ended.
    /// </summary>
    public static async Task RecordAsync(DbConnection connection, DbTransaction transaction, string courseId, int session,
        SessionAnswers answers, string recordedBy, Instant now)
    {
        await connection.ExecuteAsync("delete from session_scores where course_id = @courseId and session_number = @session",
            new { courseId, session }, transaction);
        await connection.ExecuteAsync(
            """
            insert into session_scores (course_id, session_number, phq9_items, gad7_items, wsas_items, phq9, gad7, wsas, recorded_by, recorded_at)
            values (@courseId, @session, @phq9Items, @gad7Items, @wsasItems, @phq9, @gad7, @wsas, @recordedBy, @now)
            """,
            new
            {
                courseId, session, phq9Items = JsonSerializer.Serialize(answers.Phq9), gad7Items = JsonSerializer.Serialize(answers.Gad7),
                wsasItems = answers.Wsas is null ? null : JsonSerializer.Serialize(answers.Wsas),
                phq9 = answers.Phq9Total, gad7 = answers.Gad7Total, wsas = answers.WsasTotal, recordedBy, now = now.ToUnixTimeMilliseconds(),
            }, transaction);
        if (answers.RiskAnswered)
            await connection.ExecuteAsync(
                """
                update courses set clinical_review_since = @now, clinical_review_session = @session, clinical_reviewed_by = null
                where id = @courseId and (clinical_review_since is null or clinical_reviewed_by is not null)
                """, new { courseId, session, now = now.ToUnixTimeMilliseconds() }, transaction);
        var status = await connection.QuerySingleAsync<string>("select status from courses where id = @courseId", new { courseId }, transaction);
        if (status != "booked") await PublishOutcomeAsync(connection, transaction, courseId, now);
    }

    public static async Task<List<StoredScores>> ForCourseAsync(DbConnection connection, DbTransaction? transaction, string courseId) =>
        (await connection.QueryAsync<StoredScores>(
            """
            select session_number as SessionNumber, phq9_items as Phq9Items, gad7_items as Gad7Items, wsas_items as WsasItems,
                   phq9 as Phq9, gad7 as Gad7, wsas as Wsas, recorded_by as RecordedBy, recorded_at as RecordedAt
            from session_scores where course_id = @courseId order by session_number
            """, new { courseId }, transaction)).ToList();

    /// <summary>Works out the ended course's outcome from its scores, keeps it on the course and tells referrals.</summary>
    public static async Task PublishOutcomeAsync(DbConnection connection, DbTransaction transaction, string courseId, Instant now)
    {
        var course = await connection.QuerySingleAsync<(string ReferralId, string Status)>(
            "select referral_id, status from courses where id = @courseId", new { courseId }, transaction);
        var scores = await ForCourseAsync(connection, transaction, courseId);
        var outcome = CourseOutcome.From(scores.Select(s => s.Totals));
        var ending = course.Status switch { "ended" => "ended early", "cancelled" => "cancelled", _ => "completed" };
        await connection.ExecuteAsync("update courses set outcome_json = @json where id = @courseId",
            new { courseId, json = outcome is null ? null : JsonSerializer.Serialize(outcome, MessageJson.Options) }, transaction);
        await Outbox.AddAsync(connection, transaction, new CourseOutcomeRecorded(Guid.Parse(courseId), Guid.Parse(course.ReferralId), ending,
            scores.Count, outcome?.CaseAtStart, outcome?.Recovered, outcome?.ReliableImprovement, outcome?.ReliableDeterioration, outcome?.ReliableRecovery,
            outcome?.Summary ?? "Fewer than two sessions scored: no outcome", now.ToDateTimeOffset()), now);
    }
}
