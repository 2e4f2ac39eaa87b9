using System.Security.Claims;

namespace Dit.Scheduling.Coordinators;

/// <summary>
/// Personal API keys, for a person's own scripts: made by the person signed in (with their token — a key cannot make
/// keys), acting as them with the roles they hold then, on the audit trail as them, until they expire (90 days unless
/// asked otherwise, a year at most) or are revoked by their person or an administrator. Scheduling keeps them with the
/// coordinator keys and tells notifications (<see cref="StaffSync"/>), so one key opens both.
/// </summary>
public static class PersonalKeysApi
{
    public sealed record NewKeyRequest(string? Label, int? Days);

    public sealed record NewKeyView(string Id, string Key, string Label, IReadOnlyList<string> Roles, DateTimeOffset ExpiresAt);

    public sealed record KeyView(string Id, string Label, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

    public static IEndpointRouteBuilder MapPersonalKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").WithGroupName("scheduling").WithTags("Personal keys")
            .RequireRateLimiting(RateLimits.PerKey).RequireAuthorization(ApiKeyAuthentication.AnyStaff);
        keys.MapPost("/", CreateAsync).WithSummary("Make a personal API key (signed in with a token; the key is shown once)");
        keys.MapGet("/", ListAsync).WithSummary("The caller's own personal keys");
        keys.MapPost("/{id}/revoke", RevokeAsync).WithSummary("Revoke a personal key: the caller's own, or anyone's for an administrator");
        return app;
    }

    private static async Task<Results<Created<NewKeyView>, ProblemHttpResult>> CreateAsync(
        NewKeyRequest request, HttpContext context, SchedulingDatabase database, IClock clock)
    {
        if (context.User.Identity?.AuthenticationType == ApiKeyAuthentication.Scheme)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "A key cannot make keys",
                detail: "Sign in (a bearer token from the provider, or the staff pages) to make a personal key.");
        var errors = new Dictionary<string, string[]>();
        var label = request.Label?.Trim();
        if (string.IsNullOrEmpty(label) || label.Length > 100) errors["label"] = ["Required, at most 100 characters: what the key is for."];
        if (request.Days is < 1 or > 365) errors["days"] = ["From 1 to 365."];
        if (errors.Count > 0) return Problems.BadRequest(errors);

        var person = new KeyHolders.KeyPerson(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!,
            context.User.FindFirstValue(ClaimTypes.Name) ?? "", context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList());
        var now = clock.GetCurrentInstant();
        var expires = now + Duration.FromDays(request.Days ?? 90);
        var (id, key) = await CoordinatorRoster.Holders.AddPersonalAsync(database, person, label!, now, expires);
        return TypedResults.Created($"/api/keys/{id}", new NewKeyView(id, key, label!, person.Roles, expires.ToDateTimeOffset()));
    }

    private static async Task<Ok<List<KeyView>>> ListAsync(HttpContext context, SchedulingDatabase database) =>
        TypedResults.Ok((await CoordinatorRoster.Holders.ListPersonalAsync(database, context.User.FindFirstValue(ClaimTypes.NameIdentifier)!))
            .Select(k => new KeyView(k.Id, k.Label, k.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), Instant(k.CreatedAt)!.Value,
                Instant(k.ExpiresAt), Instant(k.RevokedAt))).ToList());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context, SchedulingDatabase database, IClock clock)
    {
        var person = await CoordinatorRoster.Holders.PersonOfAsync(database, id);
        var mayRevoke = person is not null && (person == context.User.FindFirstValue(ClaimTypes.NameIdentifier) ||
            context.User.IsInRole(StaffTokens.Administrator));
        if (!mayRevoke) return Problems.NotFound("No such personal key of yours");
        await CoordinatorRoster.Holders.RevokeAsync(database, id, clock.GetCurrentInstant());
        return TypedResults.NoContent();
    }

    private static DateTimeOffset? Instant(long? milliseconds) =>
        milliseconds is { } ms ? NodaTime.Instant.FromUnixTimeMilliseconds(ms).ToDateTimeOffset() : null;
}
