namespace Dit.Scheduling.Therapists;

/// <summary>A therapist, their weekly hours, and the person who signs in as them (their id at the provider), if linked.</summary>
public sealed record TherapistView(Guid Id, string Name, int MaxSessionsPerWeek, IReadOnlyList<HoursRequest> WorkingHours, string? UserId)
{
    public static async Task<List<TherapistView>> LoadAsync(System.Data.Common.DbConnection connection, string? id)
    {
        var therapists = await connection.QueryAsync<(string Id, string Name, long Max, string? UserId)>(
            "select id, name, max_sessions_per_week, user_id from therapists where @id is null or id = @id order by name, id", new { id });
        var hours = (await connection.QueryAsync<(string TherapistId, long Weekday, long From, long To)>(
            "select therapist_id, weekday, from_minute, to_minute from working_hours where @id is null or therapist_id = @id order by weekday, from_minute",
            new { id })).ToLookup(h => h.TherapistId);
        return therapists.Select(t => new TherapistView(Guid.Parse(t.Id), t.Name, (int)t.Max,
            hours[t.Id].Select(h => new HoursRequest(((IsoDayOfWeek)h.Weekday).ToString(),
                LocalTime.Midnight.PlusMinutes(h.From).ToString("HH:mm", null), LocalTime.Midnight.PlusMinutes(h.To).ToString("HH:mm", null))).ToList(), t.UserId))
            .ToList();
    }
}
