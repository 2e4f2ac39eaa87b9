namespace Dit.Referrals.Keys;

/// <summary>
/// Referring services' keys from the administrator's page (as the <c>keys</c> command does from a shell): list, add —
/// the key shown once, only its hash kept — and revoke, refused from the next request on. Administrator only.
/// </summary>
public static class ReferrerKeysApi
{
    public sealed record NewReferrerRequest(string? Name);

    public sealed record NewReferrerView(string Id, string Name, string Key);

    public sealed record ReferrerView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    public static IEndpointRouteBuilder MapReferrerKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/referrer-keys").WithGroupName("referrals").WithTags("Referrer keys")
            .RequireRateLimiting(RateLimits.PerKey).RequireAuthorization(StaffTokens.Administrator);
        keys.MapGet("/", ListAsync).WithSummary("Referring services and their keys (never the keys themselves)");
        keys.MapPost("/", AddAsync).WithSummary("Add a referring service: its key is in the answer, shown only this once");
        keys.MapPost("/{id}/revoke", RevokeAsync).WithSummary("Revoke a referring service's key: refused from the next request on");
        return app;
    }

    private static async Task<Ok<List<ReferrerView>>> ListAsync(ReferralsDatabase database) =>
        TypedResults.Ok((await Referrers.Holders.ListAsync(database)).Select(h => new ReferrerView(h.Id, h.Name,
            Instant.FromUnixTimeMilliseconds(h.CreatedAt).ToDateTimeOffset(),
            h.RevokedAt is { } revoked ? Instant.FromUnixTimeMilliseconds(revoked).ToDateTimeOffset() : null)).ToList());

    private static async Task<Results<Created<NewReferrerView>, ProblemHttpResult>> AddAsync(NewReferrerRequest request, ReferralsDatabase database, IClock clock)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) return Problems.BadRequest("name", "Required, at most 100 characters: the referring service's name.");
        var (id, key) = await Referrers.Holders.AddAsync(database, name, clock.GetCurrentInstant());
        return TypedResults.Created($"/api/referrer-keys/{id}", new NewReferrerView(id, name, key));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, ReferralsDatabase database, IClock clock) =>
        await Referrers.Holders.RevokeAsync(database, id, clock.GetCurrentInstant()) ? TypedResults.NoContent() : Problems.NotFound("No such referring service");
}
