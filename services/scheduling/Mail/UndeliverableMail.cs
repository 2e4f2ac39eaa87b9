using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using Dit.Scheduling.Coordinators;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Mail;

/// <summary>Keeps each mail notifications gave up on, for the coordinators' list.</summary>
public sealed class RecordUndeliverableMail(SchedulingDatabase database, IClock clock) : IConsumer<MailUndeliverable>
{
    public Task Consume(ConsumeContext<MailUndeliverable> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordUndeliverableMail), clock, (connection, transaction) =>
            connection.ExecuteAsync(
                """
                insert into undeliverable_mail (referral_id, kind, reason, rejections, at) values (@referralId, @Kind, @Reason, @Rejections, @at)
                on conflict do nothing
                """,
                new
                {
                    referralId = context.Message.ReferralId.ToString(), context.Message.Kind, context.Message.Reason, context.Message.Rejections,
                    at = Instant.FromDateTimeOffset(context.Message.OccurredAt).ToUnixTimeMilliseconds(),
                }, transaction));
}

public static class UndeliverableMailApi
{
    public static IEndpointRouteBuilder MapUndeliverableMailApi(this IEndpointRouteBuilder app)
    {
        app.MapCoordinatorGroup("/api/mail/undeliverable", "Mail")
            .MapGet("/", ListAsync)
            .WithSummary("Mail the patient's mail server refused for good, newest first, with the course it belongs to: reach these patients another way");
        return app;
    }

    public static async Task<Ok<List<UndeliverableMailView>>> ListAsync(SchedulingDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string ReferralId, string Kind, string Reason, long Rejections, long At, string? CourseId, string? Initials)>(
            """
            select m.referral_id, m.kind, m.reason, m.rejections, m.at, c.id, c.patient_initials
            from undeliverable_mail m left join courses c on c.referral_id = m.referral_id
            order by m.at desc limit 200
            """);
        return TypedResults.Ok(rows.Select(r => new UndeliverableMailView(Guid.Parse(r.ReferralId), r.CourseId is null ? null : Guid.Parse(r.CourseId),
            r.Initials, r.Kind, r.Reason, (int)r.Rejections, Instant.FromUnixTimeMilliseconds(r.At).ToDateTimeOffset())).ToList());
    }
}

public sealed record UndeliverableMailView(Guid ReferralId, Guid? CourseId, string? PatientInitials, string Kind, string Reason, int Rejections, DateTimeOffset At);
