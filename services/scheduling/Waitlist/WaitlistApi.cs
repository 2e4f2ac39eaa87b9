using Dit.Scheduling.Coordinators;

namespace Dit.Scheduling.Waitlist;

public static class WaitlistApi
{
    public static IEndpointRouteBuilder MapWaitlistApi(this IEndpointRouteBuilder app)
    {
        app.MapStaffGroup("/api/waitlist", "Waitlist", CoordinatorAccess.Coordinator)
            .MapGet("/", ListAsync)
            .WithSummary("Referrals waiting for a course, first come first served: how long each has waited, why nothing fits yet, when it was last tried");
        return app;
    }

    public static async Task<Ok<List<WaitlistEntry>>> ListAsync(SchedulingDatabase database, IClock clock, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var now = clock.GetCurrentInstant();
        var rows = await connection.QueryAsync<(string ReferralId, string Reason, long Since, long? LastTried)>(
            "select referral_id, reason, since, last_tried from waitlist order by since, referral_id");
        await http.AuditReadsAsync(database, rows.Select(r => new AuditEntry("waitlist.read", r.ReferralId, null)));
        return TypedResults.Ok(rows.Select((r, i) =>
        {
            var since = Instant.FromUnixTimeMilliseconds(r.Since);
            var lastTried = Instant.FromUnixTimeMilliseconds(r.LastTried ?? r.Since);
            return new WaitlistEntry(i + 1, Guid.Parse(r.ReferralId), r.Reason, since.ToDateTimeOffset(), (int)(now - since).TotalMinutes,
                lastTried.ToDateTimeOffset());
        }).ToList());
    }
}
