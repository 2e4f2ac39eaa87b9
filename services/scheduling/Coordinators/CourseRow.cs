namespace Dit.Scheduling.Coordinators;

/// <summary>The course row's two idioms: its lock, and the sequence every change the patient hears of carries.</summary>
public static class CourseRow
{
    /// <summary>Takes the course's row lock (on PostgreSQL) so two coordinators' changes to one course run one after the other.</summary>
    public static Task LockAsync(DbConnection connection, DbTransaction transaction, string courseId) =>
        connection.ExecuteAsync("update courses set sequence = sequence where id = @courseId", new { courseId }, transaction);

    /// <summary>The course's next sequence (its SEQUENCE in the patient's calendar), taken for one change.</summary>
    public static async Task<int> NextSequenceAsync(DbConnection connection, DbTransaction transaction, string courseId)
    {
        await connection.ExecuteAsync("update courses set sequence = sequence + 1 where id = @courseId", new { courseId }, transaction);
        return (int)await connection.ExecuteScalarAsync<long>("select sequence from courses where id = @courseId", new { courseId }, transaction);
    }
}
