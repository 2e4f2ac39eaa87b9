using Dapper;
using Dit.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Coordinators;

public static class CoursesApi
{
    public static IEndpointRouteBuilder MapCoursesApi(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api/courses")
            .WithGroupName("scheduling")
            .WithTags("Courses")
            .RequireRateLimiting(RateLimits.PerKey)
            .RequireCoordinatorKey();
        courses.MapGet("/{id}", GetAsync);
        return app;
    }

    public static async Task<Results<Ok<CourseView>, ProblemHttpResult>> GetAsync(string id, SchedulingDatabase database)
    {
        if (!Guid.TryParse(id, out var courseId))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such course");
        await using var connection = await database.OpenAsync();
        var course = await connection.QuerySingleOrDefaultAsync<CourseRow>(
            """
            select c.id as Id, c.referral_id as ReferralId, c.therapist_id as TherapistId, t.name as TherapistName,
                   c.time_zone as TimeZone, c.weekday as Weekday, c.local_time as LocalTime, c.status as Status, c.sequence as Sequence
            from courses c join therapists t on t.id = c.therapist_id where c.id = @id
            """, new { id = courseId.ToString() });
        if (course is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such course");
        var sessions = await connection.QueryAsync<(string Id, long Number, string LocalStart, long StartUtc, string Status)>(
            "select id, session_number, local_start, start_utc, status from appointments where course_id = @id order by session_number",
            new { id = courseId.ToString() });
        return TypedResults.Ok(new CourseView(
            courseId, Guid.Parse(course.ReferralId), Guid.Parse(course.TherapistId), course.TherapistName, course.TimeZone,
            ((IsoDayOfWeek)course.Weekday).ToString(), course.LocalTime, course.Status, (int)course.Sequence,
            sessions.Select(s => new AppointmentView(Guid.Parse(s.Id), (int)s.Number, s.LocalStart,
                Instant.FromUnixTimeMilliseconds(s.StartUtc).ToDateTimeOffset(), s.Status)).ToList()));
    }

    private sealed record CourseRow(string Id, string ReferralId, string TherapistId, string TherapistName, string TimeZone,
        long Weekday, string LocalTime, string Status, long Sequence);
}

public sealed record CourseView(
    Guid Id, Guid ReferralId, Guid TherapistId, string Therapist, string TimeZone, string Weekday, string Time,
    string Status, int Sequence, IReadOnlyList<AppointmentView> Sessions);

public sealed record AppointmentView(Guid Id, int Number, string LocalStart, DateTimeOffset StartUtc, string Status);
