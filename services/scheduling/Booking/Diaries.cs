using NodaTime.Text;
using Npgsql;

namespace Dit.Scheduling.Booking;

/// <summary>Loads therapists' diaries and the service's closed days for the search, in the caller's transaction.</summary>
public static class Diaries
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    /// <param name="therapistId">One therapist, or all when null.</param>
    /// <param name="exceptAppointmentId">An appointment to leave out (the one being moved).</param>
    public static Task<List<TherapistDiary>> LoadAsync(DbConnection connection, DbTransaction? transaction,
        Instant from, Instant to, string? therapistId = null, string? exceptAppointmentId = null) =>
        LoadAsync(connection, transaction, from, to, therapistId is null ? null : [therapistId], exceptAppointmentId);

    /// <param name="therapistIds">These therapists (by id), or all when null.</param>
    /// <param name="exceptAppointmentId">An appointment to leave out (the one being moved).</param>
    public static async Task<List<TherapistDiary>> LoadAsync(DbConnection connection, DbTransaction? transaction,
        Instant from, Instant to, IReadOnlyCollection<string>? therapistIds, string? exceptAppointmentId = null)
    {
        var ids = therapistIds?.ToArray();
        // Dapper passes a list to PostgreSQL as one array parameter, and spreads it into one parameter each for SQLite.
        var among = connection is NpgsqlConnection ? "= any(@ids)" : "in @ids";
        var theirs = ids is null ? "" : "therapist_id " + among;
        var therapists = await connection.QueryAsync<(string Id, string Name, long MaxSessionsPerWeek)>(
            $"select id, name, max_sessions_per_week from therapists {(ids is null ? "" : "where id " + among)} order by id",
            new { ids }, transaction);
        var hours = (await connection.QueryAsync<(string TherapistId, long Weekday, long FromMinute, long ToMinute)>(
                $"select therapist_id, weekday, from_minute, to_minute from working_hours {(ids is null ? "" : "where " + theirs)}",
                new { ids }, transaction))
            .ToLookup(h => h.TherapistId);
        // A week either side: the weekly cap counts whole weeks.
        var range = new
        {
            from = (from - Duration.FromDays(7)).ToUnixTimeMilliseconds(), to = (to + Duration.FromDays(7)).ToUnixTimeMilliseconds(),
            ids, except = exceptAppointmentId,
        };
        var bookedInRange = $"""
            from appointments
            where status = 'booked' and start_utc >= @from and start_utc < @to
              {(ids is null ? "" : "and " + theirs)} {(exceptAppointmentId is null ? "" : "and id <> @except")}
            """;
        // A full clinic has tens of thousands of booked sessions in range: PostgreSQL sends them as one array per
        // therapist (rows cost it and us far more than array elements; see docs/benchmarks.md).
        var booked = connection is NpgsqlConnection
            ? (await connection.QueryAsync<(string TherapistId, long[] Starts)>(
                    $"select therapist_id, array_agg(start_utc order by start_utc) {bookedInRange} group by therapist_id", range, transaction))
                .ToDictionary(b => b.TherapistId, b => b.Starts.Select(Instant.FromUnixTimeMilliseconds).ToList())
            : (await connection.QueryAsync<(string TherapistId, long Start)>(
                    $"select therapist_id, start_utc {bookedInRange} order by therapist_id, start_utc", range, transaction))
                .GroupBy(b => b.TherapistId)
                .ToDictionary(g => g.Key, g => g.Select(b => Instant.FromUnixTimeMilliseconds(b.Start)).ToList());
        var leave = (await connection.QueryAsync<(string TherapistId, string From, string To)>(
                $"select therapist_id, from_date, to_date from leave {(ids is null ? "" : "where " + theirs)}",
                new { ids }, transaction))
            .ToLookup(l => l.TherapistId);

        return therapists.Select(t => new TherapistDiary(
                Guid.Parse(t.Id), t.Name, (int)t.MaxSessionsPerWeek,
                hours[t.Id].Select(h => new WorkingHours((IsoDayOfWeek)h.Weekday,
                    LocalTime.Midnight.PlusMinutes(h.FromMinute), LocalTime.Midnight.PlusMinutes(h.ToMinute))).ToList(),
                booked.GetValueOrDefault(t.Id) ?? [],
                LeaveDays(leave[t.Id])))
            .ToList();
    }

    private static HashSet<LocalDate>? LeaveDays(IEnumerable<(string TherapistId, string From, string To)> ranges)
    {
        HashSet<LocalDate>? days = null;
        foreach (var (_, fromText, toText) in ranges)
        {
            days ??= [];
            for (var day = Iso.Parse(fromText).Value; day <= Iso.Parse(toText).Value; day = day.PlusDays(1)) days.Add(day);
        }
        return days;
    }
}
