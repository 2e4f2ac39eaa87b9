namespace Dit.Scheduling.Progress;

/// <summary>Keeps the hash of a questionnaire link notifications mailed, so the link opens that session's questionnaire.</summary>
public sealed class RecordQuestionnaireLink(SchedulingDatabase database, IClock clock) : IConsumer<QuestionnaireLinkIssued>
{
    public Task Consume(ConsumeContext<QuestionnaireLinkIssued> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordQuestionnaireLink), clock, (connection, transaction) =>
            connection.ExecuteAsync(
                """
                insert into questionnaire_links (token_hash, course_id, session_number, issued_at)
                values (@hash, @courseId, @session, @now) on conflict do nothing
                """,
                new
                {
                    hash = context.Message.TokenHash, courseId = context.Message.CourseId.ToString(), session = context.Message.SessionNumber,
                    now = clock.GetCurrentInstant().ToUnixTimeMilliseconds(),
                }, transaction));
}
