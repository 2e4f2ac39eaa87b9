using Dit.Scheduling.Coordinators;

namespace Dit.Scheduling.Review;

/// <summary>Referrals that reported current risk, or that booking could not take, and the coordinator's decision on each.</summary>
public static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapStaffGroup("/api/reviews", "Reviews", CoordinatorAccess.Coordinator);
        reviews.MapGet("/", ListAsync).WithSummary("Referrals waiting for a coordinator's review, oldest first");
        reviews.MapPost("/{referralId}/accept", AcceptAsync).WithSummary("Accept a reviewed referral for booking");
        reviews.MapPost("/{referralId}/close", CloseAsync).WithSummary("Close a reviewed referral with a reason");
        return app;
    }

    public static async Task<Ok<List<ReviewView>>> ListAsync(SchedulingDatabase database, IClock clock, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var now = clock.GetCurrentInstant();
        var rows = await connection.QueryAsync<(string ReferralId, string ReferrerReference, string? RiskNotes, string? Problem, string Earliest, long ReceivedAt, string? Attention)>(
            """
            select referral_id, referrer_reference, risk_notes, presenting_problem, earliest_start, received_at, attention
            from reviews where decision is null order by received_at, referral_id
            """);
        var reviews = rows.Select(r => new ReviewView(Guid.Parse(r.ReferralId), r.ReferrerReference, r.RiskNotes, r.Problem,
            r.Earliest, Instant.FromUnixTimeMilliseconds(r.ReceivedAt).ToDateTimeOffset(),
            (int)(now - Instant.FromUnixTimeMilliseconds(r.ReceivedAt)).TotalMinutes, r.Attention)).ToList();
        await http.AuditReadsAsync(database, reviews.Select(r => new AuditEntry("review.read", r.ReferralId.ToString(), null)));
        return TypedResults.Ok(reviews);
    }

    public static Task<Results<NoContent, ProblemHttpResult>> AcceptAsync(string referralId, HttpContext http, SchedulingDatabase database, IClock clock) =>
        DecideAsync(referralId, ReferralReviewed.Accept, null, http, database, clock);

    public static Task<Results<NoContent, ProblemHttpResult>> CloseAsync(string referralId, CloseRequest? request, HttpContext http,
        SchedulingDatabase database, IClock clock) =>
        string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Length > 500
            ? Task.FromResult<Results<NoContent, ProblemHttpResult>>(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "Give the reason for closing the referral",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["reason"] = ["Required, at most 500 characters."] } }))
            : DecideAsync(referralId, ReferralReviewed.Close, request.Reason.Trim(), http, database, clock);

    private static async Task<Results<NoContent, ProblemHttpResult>> DecideAsync(string referralId, string decision, string? reason,
        HttpContext http, SchedulingDatabase database, IClock clock)
    {
        if (!Guid.TryParse(referralId, out var id))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such referral waiting for review");
        var now = clock.GetCurrentInstant();
        var coordinator = http.Caller(ApiKeyAuthentication.Coordinator);
        var decided = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(
                """
                update reviews set decision = @decision, reason = @reason, decided_by = @coordinator, decided_at = @now
                where referral_id = @id and decision is null
                """,
                new { id = id.ToString(), decision, reason, coordinator, now = now.ToUnixTimeMilliseconds() }, transaction);
            if (changed == 1)
            {
                await Outbox.AddAsync(connection, transaction, new ReferralReviewed(id, decision, reason, coordinator, now.ToDateTimeOffset()), now);
                await http.AuditAsync(connection, transaction, database, new AuditEntry($"review.{decision}", id.ToString(), null,
                    reason is null ? [new FieldChange("decision", null, decision)] : [new FieldChange("decision", null, decision), FieldChange.Withheld("reason")]));
            }
            return changed == 1;
        }, http.RequestAborted);
        return decided
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such referral waiting for review");
    }
}
