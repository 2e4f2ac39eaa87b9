namespace Dit.Referrals.Keys;

/// <summary>
/// Referring services' keys from the administrator's page (as the <c>keys</c> command does from a shell): list, add —
/// the key shown once, only its hash kept — and revoke, refused from the next request on; and a service's BaRS details
/// (its ODS code, where its news goes: <see cref="Fhir.BarsReferrers"/>). Administrator only.
/// </summary>
public static class ReferrerKeysApi
{
    /// <param name="OdsCode">For BaRS: the organisation's ODS code, which its messages' NHSD-End-User-Organisation must name.</param>
    /// <param name="NewsEndpoint">For BaRS: where its referrals' news is sent (https; its own $process-message or the BaRS proxy's).</param>
    public sealed record NewReferrerRequest(string? Name, string? OdsCode = null, string? NewsEndpoint = null);

    public sealed record NewReferrerView(string Id, string Name, string Key);

    public sealed record ReferrerView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? OdsCode, string? NewsEndpoint);

    public sealed record BarsDetailsRequest(string? OdsCode, string? NewsEndpoint);

    public static IEndpointRouteBuilder MapReferrerKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/referrer-keys").WithGroupName("referrals").WithTags("Referrer keys")
            .RequireRateLimiting(RateLimits.PerKey).RequireAuthorization(StaffTokens.Administrator);
        keys.MapGet("/", ListAsync).WithSummary("Referring services and their keys (never the keys themselves)");
        keys.MapPost("/", AddAsync).WithSummary("Add a referring service: its key is in the answer, shown only this once");
        keys.MapPost("/{id}/revoke", RevokeAsync).WithSummary("Revoke a referring service's key: refused from the next request on");
        keys.MapPut("/{id}/bars", SetBarsAsync).WithSummary("A referring service's BaRS details: its ODS code and where its referrals' news is sent");
        return app;
    }

    private static async Task<Ok<List<ReferrerView>>> ListAsync(ReferralsDatabase database)
    {
        var bars = await Fhir.BarsReferrers.AllAsync(database);
        return TypedResults.Ok((await Referrers.Holders.ListAsync(database)).Select(h => new ReferrerView(h.Id, h.Name,
            Instant.FromUnixTimeMilliseconds(h.CreatedAt).ToDateTimeOffset(),
            h.RevokedAt is { } revoked ? Instant.FromUnixTimeMilliseconds(revoked).ToDateTimeOffset() : null,
            bars.GetValueOrDefault(h.Id)?.OdsCode, bars.GetValueOrDefault(h.Id)?.NewsEndpoint)).ToList());
    }

    private static async Task<Results<Created<NewReferrerView>, ProblemHttpResult>> AddAsync(NewReferrerRequest request, ReferralsDatabase database, IClock clock)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) return Problems.BadRequest("name", "Required, at most 100 characters: the referring service's name.");
        // BaRS details are optional: a service that posts our JSON needs none.
        var (bars, problem) = string.IsNullOrWhiteSpace(request.OdsCode) && string.IsNullOrWhiteSpace(request.NewsEndpoint)
            ? (null, null) : BarsDetailsOf(request.OdsCode, request.NewsEndpoint);
        if (problem is not null) return problem;
        var (id, key) = await Referrers.Holders.AddAsync(database, name, clock.GetCurrentInstant());
        if (bars is not null) await Fhir.BarsReferrers.SetAsync(database, id, bars);
        return TypedResults.Created($"/api/referrer-keys/{id}", new NewReferrerView(id, name, key));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetBarsAsync(string id, BarsDetailsRequest request, ReferralsDatabase database)
    {
        var (details, problem) = BarsDetailsOf(request.OdsCode, request.NewsEndpoint);
        if (problem is not null) return problem;
        if (!(await Referrers.Holders.ListAsync(database)).Any(h => h.Id == id)) return Problems.NotFound("No such referring service");
        await Fhir.BarsReferrers.SetAsync(database, id, details!);
        return TypedResults.NoContent();
    }

    private static (Fhir.BarsReferrers.Details? Details, ProblemHttpResult? Problem) BarsDetailsOf(string? odsCode, string? newsEndpoint)
    {
        var ods = Fhir.BarsReferrers.OdsCodeOf(odsCode);
        if (ods is null) return (null, Problems.BadRequest("odsCode", "Required for BaRS: the organisation's ODS code, 3 to 10 letters and digits (for example A1001)."));
        var endpoint = string.IsNullOrWhiteSpace(newsEndpoint) ? null : newsEndpoint.Trim();
        if (endpoint is not null && (endpoint.Length > 500 || !Fhir.BarsReferrers.IsSendableEndpoint(endpoint)))
            return (null, Problems.BadRequest("newsEndpoint", "An https address (http only to this machine), at most 500 characters: where the service's news is sent; leave it out if it polls."));
        return (new Fhir.BarsReferrers.Details(ods, endpoint), null);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, ReferralsDatabase database, IClock clock) =>
        await Referrers.Holders.RevokeAsync(database, id, clock.GetCurrentInstant()) ? TypedResults.NoContent() : Problems.NotFound("No such referring service");
}
