using Dit.Scheduling.Coordinators;

namespace Dit.Scheduling.Mail;

public static class UndeliverableMailApi
{
    public static IEndpointRouteBuilder MapUndeliverableMailApi(this IEndpointRouteBuilder app)
    {
        app.MapStaffGroup("/api/mail/undeliverable", "Mail", CoordinatorAccess.Coordinator)
            .MapGet("/", ListAsync)
            .WithSummary("Messages that did not reach the patient (mail refused for good, texts Notify refused or could not deliver) and channels the patient stopped, newest first, with the course: reach these patients another way");
        return app;
    }

    public static async Task<Ok<List<UndeliverableMailView>>> ListAsync(SchedulingDatabase database, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string ReferralId, string Kind, string Reason, long Rejections, long At, string Channel, string? CourseId, string? Initials)>(
            """
            select m.referral_id, m.kind, m.reason, m.rejections, m.at, m.channel, c.id, c.patient_initials
            from undeliverable_mail m left join courses c on c.referral_id = m.referral_id
            order by m.at desc limit 200
            """);
        await http.AuditReadsAsync(database, rows.Select(r => new AuditEntry("undeliverable-mail.read", r.ReferralId, r.CourseId)));
        return TypedResults.Ok(rows.Select(r => new UndeliverableMailView(Guid.Parse(r.ReferralId), r.CourseId is null ? null : Guid.Parse(r.CourseId),
            r.Initials, r.Kind, r.Reason, (int)r.Rejections, Instant.FromUnixTimeMilliseconds(r.At).ToDateTimeOffset(), r.Channel)).ToList());
    }
}
