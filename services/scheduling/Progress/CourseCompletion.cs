using Microsoft.Extensions.Options;

namespace Dit.Scheduling.Progress;

/// <summary>
/// Marks a course completed once its last session is over, and publishes its outcome (<see cref="SessionScores.PublishOutcomeAsync"/>).
/// Polls every <c>Scheduling:Progress:CompletionSeconds</c> (default 300) on the service's clock.
/// </summary>
public sealed class CourseCompletion(SchedulingDatabase database, IClock clock, IOptions<ProgressSettings> settings, ILogger<CourseCompletion> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await CompleteEndedCoursesAsync(); }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Completing ended courses failed; trying again");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(settings.Value.CompletionSeconds), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many courses this call completed.</returns>
    public async Task<int> CompleteEndedCoursesAsync()
    {
        var now = clock.GetCurrentInstant();
        List<string> ended;
        await using (var connection = await database.OpenAsync())
            ended = (await connection.QueryAsync<string>(
                """
                select c.id from courses c where c.status = 'booked'
                and exists (select 1 from appointments a where a.course_id = c.id and a.status = 'booked')
                and not exists (select 1 from appointments a where a.course_id = c.id and a.status = 'booked' and a.end_utc > @now)
                """, new { now = now.ToUnixTimeMilliseconds() })).ToList();
        var completed = 0;
        foreach (var courseId in ended)
            completed += await database.InTransactionAsync(async (connection, transaction) =>
            {
                var changed = await connection.ExecuteAsync("update courses set status = 'completed' where id = @courseId and status = 'booked'",
                    new { courseId }, transaction);
                if (changed == 1) await SessionScores.PublishOutcomeAsync(connection, transaction, courseId, now);
                return changed;
            });
        if (completed > 0) logger.LogInformation("{Count} courses completed", completed);
        return completed;
    }
}
