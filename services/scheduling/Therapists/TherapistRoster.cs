namespace Dit.Scheduling.Therapists;

/// <summary>Adds therapists with their weekly hours (seed data, tests; the coordinator API later).</summary>
public static class TherapistRoster
{
    public static async Task<Guid> AddAsync(SchedulingDatabase database, string name, int maxSessionsPerWeek,
        IEnumerable<WeeklyHours> hours, Instant now)
    {
        var id = Guid.NewGuid();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "insert into therapists (id, name, max_sessions_per_week, created_at) values (@id, @name, @max, @now)",
            new { id = id.ToString(), name, max = maxSessionsPerWeek, now = now.ToUnixTimeMilliseconds() }, transaction);
        await AddHoursAsync(connection, transaction, id.ToString(), hours);
        await transaction.CommitAsync();
        return id;
    }

    public static async Task AddHoursAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        string therapistId, IEnumerable<WeeklyHours> hours)
    {
        foreach (var range in hours)
        {
            await connection.ExecuteAsync(
                "insert into working_hours (therapist_id, weekday, from_minute, to_minute) values (@id, @day, @from, @to)",
                new
                {
                    id = therapistId, day = (int)range.Day,
                    from = range.From.Hour * 60 + range.From.Minute,
                    to = range.To.Hour * 60 + range.To.Minute,
                }, transaction);
        }
    }

    public static async Task<int> CountAsync(SchedulingDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from therapists");
    }
}
