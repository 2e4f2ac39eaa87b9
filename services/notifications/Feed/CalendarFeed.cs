using Dit.Notifications.Contacts;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Feed;

/// <summary>
/// The patient's private calendar feed, <c>GET /calendar/{token}.ics</c>: the course as it stands now.
/// The token (256 random bits) is in the invite email; only its SHA-256 is stored. Unknown and revoked
/// tokens are the same 404, found the same way (one indexed lookup of the hash).
/// </summary>
public static class CalendarFeed
{
    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/calendar/{file}", GetAsync).WithGroupName("notifications").WithTags("Calendar feed").RequireRateLimiting(RateLimits.PrivateLink)
            .WithSummary("A patient's private calendar feed (the token from the invite email, then .ics)");
        app.MapGroup("/api/calendar-feeds").WithGroupName("notifications").WithTags("Calendar feed")
            .RequireRateLimiting(RateLimits.PerKey).RequireAuthorization(ApiKeyAuthentication.Coordinator)
            .MapPost("/{courseId}/revoke", RevokeAsync).WithSummary("Revoke a course's calendar feed: its link stops working");
        return app;
    }

    public static async Task<Results<ContentHttpResult, NotFound>> GetAsync(string file, HttpResponse response, NotificationsDatabase database,
        ClinicDetails clinic, IClock clock)
    {
        SecurityHeaders.ForPrivateLink(response);   // the patient's name and address: never kept by a cache
        var token = file.EndsWith(".ics", StringComparison.Ordinal) ? file[..^4] : "";
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var courseId = await connection.QuerySingleOrDefaultAsync<string>(
            "select course_id from calendar_series where feed_token_hash = @hash and feed_revoked_at is null",
            new { hash = ApiKeys.Hash(token) }, transaction);
        var series = courseId is null ? null : await CalendarSeries.LoadAsync(connection, transaction, Guid.Parse(courseId));
        if (series is null) return TypedResults.NotFound();
        var patient = await Patients.FindAsync(connection, transaction, series.ReferralId);
        // A cancelled course still shows the sessions held (none left: a series whose every week is an EXDATE).
        var calendar = patient is null
            ? $"BEGIN:VCALENDAR\r\nPRODID:-//DIT Scheduling//Course invites//EN\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
            : CourseInvite.Write(series.ToCalendar(patient, clinic), "PUBLISH",
                clock.GetCurrentInstant());
        return TypedResults.Text(calendar, "text/calendar; charset=utf-8");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string courseId, NotificationsDatabase database, IClock clock, HttpContext http)
    {
        var revoked = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var referralId = await connection.QuerySingleOrDefaultAsync<string>(
                "select referral_id from calendar_series where course_id = @courseId", new { courseId }, transaction);
            if (referralId is null) return false;
            await connection.ExecuteAsync("update calendar_series set feed_revoked_at = @now where course_id = @courseId",
                new { courseId, now = clock.GetCurrentInstant().ToUnixTimeMilliseconds() }, transaction);
            await http.AuditAsync(connection, transaction, database, new AuditEntry("calendar-feed.revoked", referralId, courseId,
                [new FieldChange("calendar feed", "open", "revoked")]));
            return true;
        });
        return revoked ? TypedResults.NoContent() : Problems.NotFound("No such course");
    }
}
