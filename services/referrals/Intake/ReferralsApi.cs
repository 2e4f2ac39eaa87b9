using System.Text.Json;
using System.Text.Json.Serialization;
using Dit.Referrals.Status;

namespace Dit.Referrals.Intake;

public static class ReferralsApi
{
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    public static IEndpointRouteBuilder MapReferralsEndpoints(this IEndpointRouteBuilder app)
    {
        var referrals = app.MapGroup("/api/referrals")
            .WithGroupName("referrals")
            .WithTags("Referrals")
            .RequireRateLimiting(RateLimits.PerKey)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(ApiKeyAuthentication.Referrer);
        referrals.MapPost("/", SubmitAsync)
            .Accepts<ReferralRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Refer a patient for a course of DIT");
        referrals.MapGet("/", FindByReferenceAsync).WithSummary("Find a referral by your own reference");
        referrals.MapGet("/{id}", GetAsync).WithSummary("A referral's status, history and booked sessions");
        referrals.MapPost("/{id}/withdraw", WithdrawAsync).WithSummary("Withdraw a referral; any booked course is cancelled");
        return app;
    }

    public static async Task<Results<Accepted<ReferralView>, Ok<ReferralView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext http, ReferralsDatabase database, ReferralIntake intake, IntakeRules rules, IClock clock)
    {
        if (!http.Request.HasJsonContentType())
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the referral as application/json");
        if (http.Request.ContentLength > MaxBodyBytes)
            return TooLarge();

        ReferralRequest? request;
        try
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            if (body.Length > MaxBodyBytes) return TooLarge();
            body.Position = 0;
            request = await JsonSerializer.DeserializeAsync<ReferralRequest>(body, RequestJson, http.RequestAborted);
        }
        catch (JsonException exception)
        {
            var field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "body" : exception.Path.TrimStart('$', '.');
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [ReadableJsonError(exception)] },
                title: "The referral is not readable JSON of the expected shape");
        }
        if (request is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a referral object."] });

        var (referral, errors) = ReferralValidator.Validate(request, CourseShape.Today(clock), rules);
        if (referral is null)
            return TypedResults.ValidationProblem(errors, title: "The referral has invalid fields");

        var referrerId = http.Caller(ApiKeyAuthentication.Referrer);
        var result = await intake.SubmitAsync(referrerId, referral, Auditor.Of(http), http.RequestAborted);
        var view = (await ReferralView.LoadAsync(database, referrerId, result.ReferralId))!;
        return result.Outcome switch
        {
            IntakeOutcome.Created => TypedResults.Accepted($"/api/referrals/{result.ReferralId}", view),
            IntakeOutcome.Repeated => TypedResults.Ok(view),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "This referrerReference was already used for a different referral",
                detail: $"Referral {result.ReferralId} has referrerReference '{referral.ReferrerReference}' with other details.",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]>
                    {
                        ["referrerReference"] = ["Already used for a different referral; use a new reference or resend the original."],
                    },
                    ["referralId"] = result.ReferralId,
                }),
        };
    }

    public static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, ReferralsDatabase database)
    {
        var view = Guid.TryParse(id, out var referralId) ? await ReferralView.LoadAsync(database, http.Caller(ApiKeyAuthentication.Referrer), referralId) : null;
        if (view is null) return NotFound();
        await http.AuditReadAsync(database, new AuditEntry("referral.read", referralId.ToString(), null));
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> FindByReferenceAsync(
        string? reference, HttpContext http, ReferralsDatabase database)
    {
        if (string.IsNullOrWhiteSpace(reference))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Give ?reference=<your referrerReference>",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["reference"] = ["Required."] } });
        var view = await ReferralView.FindByReferenceAsync(database, http.Caller(ApiKeyAuthentication.Referrer), reference.Trim());
        if (view is null) return NotFound();
        await http.AuditReadAsync(database, new AuditEntry("referral.read", view.Id.ToString(), null));
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> WithdrawAsync(
        string id, WithdrawRequest? request, HttpContext http, ReferralsDatabase database, ReferralWithdrawal withdrawal)
    {
        if (!Guid.TryParse(id, out var referralId)) return NotFound();
        if (request?.Reason is { Length: > 500 })
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The reason is too long",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["reason"] = ["At most 500 characters."] } });
        var referrerId = http.Caller(ApiKeyAuthentication.Referrer);
        if (!await withdrawal.WithdrawAsync(referrerId, referralId, request?.Reason?.Trim(), Auditor.Of(http), http.RequestAborted)) return NotFound();
        return TypedResults.Ok((await ReferralView.LoadAsync(database, referrerId, referralId))!);
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such referral for this referrer");

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            title: $"The referral is larger than {MaxBodyBytes / 1024} KiB");

    private static string ReadableJsonError(JsonException exception) =>
        exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown property: only the documented fields are accepted."
            : exception.Message.Split(" Path:", 2)[0].Split(". LineNumber", 2)[0];
}
