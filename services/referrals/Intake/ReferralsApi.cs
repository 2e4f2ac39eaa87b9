using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Referrals.Keys;
using Dit.Referrals.Status;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Referrals.Intake;

public static class ReferralsApi
{
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    private static readonly DateTimeZone UkTime = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static IEndpointRouteBuilder MapReferralsEndpoints(this IEndpointRouteBuilder app)
    {
        var referrals = app.MapGroup("/api/referrals")
            .RequireApiKey((http, keyHash) => Referrers.FindByKeyHashAsync(http.RequestServices.GetRequiredService<ReferralsDatabase>(), keyHash));
        referrals.MapPost("/", SubmitAsync);
        referrals.MapGet("/{id}", GetAsync);
        return app;
    }

    public static async Task<Results<Accepted<ReferralView>, Ok<ReferralView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext http, ReferralsDatabase database, IClock clock, ILogger<ReferralRequest> logger)
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

        var now = clock.GetCurrentInstant();
        var (referral, errors) = ReferralValidator.Validate(request, now.InZone(UkTime).Date);
        if (referral is null)
            return TypedResults.ValidationProblem(errors, title: "The referral has invalid fields");

        var referrerId = http.Caller();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(referral, MessageJson.Options))));
        var id = Guid.NewGuid();
        var needsReview = referral.Risk.CurrentRisk;
        var status = needsReview ? ReferralStatus.NeedsReview : ReferralStatus.Received;

        var created = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync(
                """
                insert into referrals (id, referrer_id, referrer_reference, request_hash, request_json, status, created_at, updated_at)
                values (@id, @referrerId, @reference, @hash, @json, @status, @now, @now)
                on conflict (referrer_id, referrer_reference) do nothing
                """,
                new
                {
                    id = id.ToString(), referrerId, reference = referral.ReferrerReference, hash,
                    json = JsonSerializer.Serialize(referral, MessageJson.Options), status,
                    now = now.ToUnixTimeMilliseconds(),
                }, transaction);
            if (inserted == 0) return false;

            await ReferralHistory.AddAsync(connection, transaction, id, status, null, now);
            if (needsReview)
                await Outbox.AddAsync(connection, transaction,
                    new ReferralNeedsReview(id, referrerId, referral.Risk.Notes, now.ToDateTimeOffset()), now);
            else
                await Outbox.AddAsync(connection, transaction,
                    new ReferralAccepted(id, referrerId, referral.Patient, referral.Consent, referral.Availability,
                        referral.EarliestStart, referral.TimeZone, now.ToDateTimeOffset()), now);
            return true;
        }, http.RequestAborted);

        if (created)
        {
            logger.LogInformation("Referral {ReferralId} received for NHS number {NhsNumber}: {Status}",
                id, NhsNumber.Mask(referral.Patient.NhsNumber), status);
            var view = (await ReferralView.LoadAsync(database, referrerId, id))!;
            return TypedResults.Accepted($"/api/referrals/{id}", view);
        }

        // The reference was used before: the same referral again is a harmless retry, a different one a conflict.
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var existing = await connection.QuerySingleAsync<(string Id, string Hash)>(
            "select id, request_hash from referrals where referrer_id = @referrerId and referrer_reference = @reference",
            new { referrerId, reference = referral.ReferrerReference });
        if (existing.Hash != hash)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "This referrerReference was already used for a different referral",
                detail: $"Referral {existing.Id} has referrerReference '{referral.ReferrerReference}' with other details.",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]>
                    {
                        ["referrerReference"] = ["Already used for a different referral; use a new reference or resend the original."],
                    },
                    ["referralId"] = existing.Id,
                });
        return TypedResults.Ok((await ReferralView.LoadAsync(database, referrerId, Guid.Parse(existing.Id)))!);
    }

    public static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> GetAsync(
        string id, HttpContext http, ReferralsDatabase database)
    {
        var view = Guid.TryParse(id, out var referralId)
            ? await ReferralView.LoadAsync(database, http.Caller(), referralId)
            : null;
        return view is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such referral for this referrer")
            : TypedResults.Ok(view);
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            title: $"The referral is larger than {MaxBodyBytes / 1024} KiB");

    private static string ReadableJsonError(JsonException exception) =>
        exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown property: only the documented fields are accepted."
            : exception.Message.Split(" Path:", 2)[0].Split(". LineNumber", 2)[0];
}
