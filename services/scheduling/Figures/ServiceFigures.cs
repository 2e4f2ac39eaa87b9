using System.Text.Json;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Progress;

namespace Dit.Scheduling.Figures;

/// <summary>
/// The clinic lead's figures from what scheduling holds: who is waiting and how long, waiting times to a first session
/// (NHS Talking Therapies' 6- and 18-week measures) over the last 12 weeks, the DNA rate, completed courses' recovery and
/// reliable improvement, each therapist's utilisation over the next 4 weeks, and demand against capacity by weekday and
/// time band over the next 16 weeks (<see cref="DemandCapacity"/>).
/// </summary>
public static class ServiceFigures
{
    public const int Weeks = 12;

    public static IEndpointRouteBuilder MapServiceFiguresApi(this IEndpointRouteBuilder app)
    {
        app.MapStaffGroup("/api/figures", "Service figures", CoordinatorAccess.ClinicalLead).MapGet("/", GetAsync)
            .WithSummary("Waiting, waiting times to a first session, DNA rate, outcomes of ended courses, therapists' utilisation, and demand against capacity by weekday and time band");
        return app;
    }

    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<FiguresView>> GetAsync(SchedulingDatabase database, Booking.CourseSearch search, IClock clock)
    {
        var now = clock.GetCurrentInstant();
        var since = now - Duration.FromDays(7 * Weeks);
        await using var connection = await database.OpenAsync();

        var waiting = (await connection.QueryAsync<long>("select since from waitlist")).Select(s => (now - Instant.FromUnixTimeMilliseconds(s)).TotalDays / 7).ToList();
        var inReview = await connection.ExecuteScalarAsync<long>("select count(*) from reviews where decision is null");

        var firsts = (await connection.QueryAsync<(long Start, long? ReferredAt)>(
            """
            select a.start_utc, c.referred_at from appointments a join courses c on c.id = a.course_id
            where a.status = 'booked' and a.start_utc >= @from and a.start_utc <= @to
            and a.session_number = (select min(b.session_number) from appointments b where b.course_id = a.course_id and b.status = 'booked')
            """, new { from = since.ToUnixTimeMilliseconds(), to = now.ToUnixTimeMilliseconds() }))
            .Where(f => f.ReferredAt is not null)
            .Select(f => (Start: Instant.FromUnixTimeMilliseconds(f.Start), Waited: (f.Start - f.ReferredAt!.Value) / 86_400_000.0 / 7)).ToList();
        var weekly = Enumerable.Range(0, Weeks).Select(w =>
        {
            var (from, to) = (since + Duration.FromDays(7 * w), since + Duration.FromDays(7 * (w + 1)));
            var inWeek = firsts.Where(f => f.Start >= from && f.Start < to).ToList();
            return new WeekFigures(from.InUtc().Date.ToString("yyyy-MM-dd", null), inWeek.Count,
                inWeek.Count(f => f.Waited <= 6), inWeek.Count(f => f.Waited <= 18));
        }).ToList();

        var attendance = (await connection.QueryAsync<string>(
            "select attendance from appointments where attendance is not null and start_utc >= @from and start_utc <= @to",
            new { from = since.ToUnixTimeMilliseconds(), to = now.ToUnixTimeMilliseconds() })).ToList();

        var outcomes = (await connection.QueryAsync<string?>("select outcome_json from courses where status in ('completed', 'ended')")).ToList();
        var scored = outcomes.Where(o => o is not null).Select(o => JsonSerializer.Deserialize<CourseOutcome>(o!, MessageJson.Options)!).ToList();
        var cases = scored.Where(o => o.CaseAtStart).ToList();

        var horizon = now + Duration.FromDays(28);
        var therapists = (await connection.QueryAsync<(string Name, long Cap, long Booked)>(
            """
            select t.name, t.max_sessions_per_week,
                   (select count(*) from appointments a where a.therapist_id = t.id and a.status = 'booked' and a.start_utc >= @now and a.start_utc < @horizon)
            from therapists t order by t.name
            """, new { now = now.ToUnixTimeMilliseconds(), horizon = horizon.ToUnixTimeMilliseconds() }))
            .Select(t => new TherapistUtilisation(t.Name, (int)t.Booked, (int)t.Cap * 4, t.Cap == 0 ? 0 : Math.Round(100.0 * t.Booked / (t.Cap * 4), 1)))
            .ToList();

        return TypedResults.Ok(new FiguresView(
            now.ToDateTimeOffset(),
            new WaitingFigures(waiting.Count, (int)inReview, waiting.Count(w => w < 2), waiting.Count(w => w is >= 2 and < 6),
                waiting.Count(w => w is >= 6 and < 18), waiting.Count(w => w >= 18), waiting.Count == 0 ? 0 : Math.Round(waiting.Max(), 1)),
            new FirstSessionFigures(firsts.Count, Percent(firsts.Count(f => f.Waited <= 6), firsts.Count), Percent(firsts.Count(f => f.Waited <= 18), firsts.Count), weekly),
            new AttendanceFigures(attendance.Count, attendance.Count(a => a == "dna"), Percent(attendance.Count(a => a == "dna"), attendance.Count)),
            new OutcomeFigures(outcomes.Count, scored.Count, cases.Count, Percent(cases.Count(o => o.Recovered == true), cases.Count),
                Percent(scored.Count(o => o.ReliableImprovement), scored.Count), Percent(cases.Count(o => o.ReliableRecovery == true), cases.Count),
                Percent(scored.Count(o => o.ReliableDeterioration), scored.Count)),
            therapists,
            await DemandCapacity.OfAsync(connection, search, now)));
    }

    private static double? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);
}
