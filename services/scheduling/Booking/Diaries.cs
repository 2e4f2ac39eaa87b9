using System.Data.Common;
using Dapper;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>Loads therapists' diaries and the service's closed days for the search, in the caller's transaction.</summary>
public static class Diaries
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    /// <param name="therapistId">One therapist, or all when null.</param>
    /// <param name="exceptAppointmentId">An appointment to leave out (the one being moved).</param>
    public static async Task<List<TherapistDiary>> LoadAsync(DbConnection connection, DbTransaction? transaction,
        Instant from, Instant to, string? therapistId = null, string? exceptAppointmentId = null)
    {
        var therapists = await connection.QueryAsync<(string Id, string Name, long MaxSessionsPerWeek)>(
            "select id, name, max_sessions_per_week from therapists where @therapistId is null or id = @therapistId order by id",
            new { therapistId }, transaction);
        var hours = (await connection.QueryAsync<(string TherapistId, long Weekday, long FromMinute, long ToMinute)>(
                "select therapist_id, weekday, from_minute, to_minute from working_hours where @therapistId is null or therapist_id = @therapistId",
                new { therapistId }, transaction))
            .ToLookup(h => h.TherapistId);
        // A week either side: the weekly cap counts whole weeks.
        var booked = (await connection.QueryAsync<(string TherapistId, long Start)>(
                """
                select therapist_id, start_utc from appointments
                where status = 'booked' and start_utc >= @from and start_utc < @to
                  and (@therapistId is null or therapist_id = @therapistId) and (@except is null or id <> @except)
                order by therapist_id, start_utc
                """,
                new
                {
                    from = (from - Duration.FromDays(7)).ToUnixTimeMilliseconds(), to = (to + Duration.FromDays(7)).ToUnixTimeMilliseconds(),
                    therapistId, except = exceptAppointmentId,
                },
                transaction))
            .ToLookup(b => b.TherapistId, b => Instant.FromUnixTimeMilliseconds(b.Start));
        var leave = (await connection.QueryAsync<(string TherapistId, string From, string To)>(
                "select therapist_id, from_date, to_date from leave where @therapistId is null or therapist_id = @therapistId",
                new { therapistId }, transaction))
            .ToLookup(l => l.TherapistId);

        return therapists.Select(t => new TherapistDiary(
                Guid.Parse(t.Id), t.Name, (int)t.MaxSessionsPerWeek,
                hours[t.Id].Select(h => new WorkingHours((IsoDayOfWeek)h.Weekday,
                    LocalTime.Midnight.PlusMinutes(h.FromMinute), LocalTime.Midnight.PlusMinutes(h.ToMinute))).ToList(),
                booked[t.Id].ToList(),
                LeaveDays(leave[t.Id])))
            .ToList();
    }

    public static async Task<IReadOnlySet<LocalDate>> ClosedDaysAsync(DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>("select day from closed_days", transaction: transaction))
            .Select(d => Iso.Parse(d).Value).ToHashSet();

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
