using Dit.Referrals.Intake;
using Dit.Referrals.Status;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using ReferralRequest = Dit.Referrals.Intake.ReferralRequest;
using Task = System.Threading.Tasks.Task;

namespace Dit.Referrals.Fhir;

/// <summary>
/// The referrals service's FHIR edge by the Booking and Referral Standard: <c>POST /fhir/$process-message</c> takes a DIT
/// referral as a <c>servicerequest-request</c> message (<see cref="BarsReferralMessage"/>) and turns it into the same
/// intake our JSON API uses; BaRS's envelope (<c>X-Request-Id</c>, <c>X-Correlation-Id</c>, echoed on every answer; an
/// X-Request-Id processed before is 409 duplicate) and its <c>OperationOutcome</c> errors (<see cref="BarsOutcomes"/>).
/// A referrer calls with its referrer key, as on the JSON API.
/// </summary>
public static class FhirApi
{
    public const int MaxBodyBytes = 256 * 1024;
    private static readonly FhirJsonDeserializer Deserializer = new();

    public static IEndpointRouteBuilder MapFhirEndpoints(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir").WithGroupName("referrals").WithTags("FHIR (BaRS)").RequireRateLimiting(RateLimits.PerKey);
        fhir.MapPost("/$process-message", ProcessMessageAsync)
            .WithSummary("A referral as a BaRS servicerequest-request message (application/fhir+json); answers a message Bundle or an OperationOutcome");
        fhir.MapGet("/ServiceRequest/{id}", GetServiceRequestAsync)
            .WithSummary("A referral you sent, as a ServiceRequest with its current state (for a referrer that gave no endpoint for news)");
        fhir.MapGet("/metadata", () => BarsOutcomes.Fhir(BarsConformance.Capabilities()))
            .WithSummary("This service's CapabilityStatement: what it takes and where its message definition and questionnaire are");
        fhir.MapGet("/MessageDefinition", () => BarsOutcomes.Fhir(BarsConformance.Definition()))
            .WithSummary("What a DIT referral message must hold (BaRS lets the receiver specify its payload)");
        fhir.MapGet("/Questionnaire/dit-referral", () => BarsOutcomes.Fhir(BarsConformance.ReferralQuestionnaire()))
            .WithSummary("The questionnaire whose answers carry the patient's weekly availability, time zone and earliest start");
        return app;
    }

    public static async Task<IResult> ProcessMessageAsync(HttpContext http, ReferralsDatabase database, ReferralIntake intake,
        ReferralWithdrawal withdrawal, IntakeRules rules, BarsSettings settings, IClock clock)
    {
        // BaRS's envelope: both ids echoed on every answer, including errors.
        var requestId = http.Request.Headers["X-Request-Id"].ToString();
        var correlationId = http.Request.Headers["X-Correlation-Id"].ToString();
        if (requestId != "") http.Response.Headers["X-Request-Id"] = requestId;
        if (correlationId != "") http.Response.Headers["X-Correlation-Id"] = correlationId;

        if (NotAReferrer(http) is { } refused) return refused;
        var envelope = new List<BarsIssue>();
        if (!Guid.TryParse(requestId, out _)) envelope.Add(new("", "The X-Request-Id header is required: a UUID, new for each request.", "required"));
        if (!Guid.TryParse(correlationId, out _)) envelope.Add(new("", "The X-Correlation-Id header is required: a UUID, the same for every message about this referral.", "required"));
        if (envelope.Count > 0) return BarsOutcomes.Error(400, "REC_BAD_REQUEST", envelope);
        var (notSent, referrer) = await SenderAsync(http, database, settings);
        if (notSent is not null) return notSent;
        if (http.Request.ContentType?.Split(';')[0].Trim() != BarsOutcomes.FhirJson)
            return BarsOutcomes.Error(415, "REC_BAD_REQUEST", "not-supported", $"Send the message as {BarsOutcomes.FhirJson}.");

        var json = await ReadBodyAsync(http);
        if (json is null) return BarsOutcomes.Error(422, "REC_UNPROCESSABLE_ENTITY", "too-costly", $"A referral message is at most {MaxBodyBytes / 1024} KiB.");
        Resource? resource;
        IEnumerable<CodedException> problems;
        try
        {
            Deserializer.TryDeserializeResource(json, out resource, out problems);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return BarsOutcomes.Error(400, "REC_BAD_REQUEST", "structure", $"Not readable FHIR JSON: {exception.Message}");
        }
        var parseIssues = problems.Select(p => new BarsIssue(p is ExtendedCodedException { InstancePath: { } path } ? path : "", p.Message, "structure")).ToList();
        if (parseIssues.Count > 0) return BarsOutcomes.Error(400, "REC_BAD_REQUEST", parseIssues);
        if (resource is not Bundle bundle)
            return BarsOutcomes.Error(422, "REC_UNPROCESSABLE_ENTITY", "not-supported", "Send a Bundle of type 'message'.", "Bundle");

        var (request, message, issues) = BarsReferralMessage.Read(bundle);
        if (issues.Count > 0)
            return issues.Any(i => i.Code == "not-supported")
                ? BarsOutcomes.Error(422, "REC_UNPROCESSABLE_ENTITY", issues)
                : BarsOutcomes.Error(400, "REC_BAD_REQUEST", issues);
        // Then UK Core and base FHIR: what the message says must be valid FHIR, not only what we read of it.
        var invalid = await BarsValidator.Shared.ValidateAsync(bundle, http.RequestAborted);
        if (invalid.Count > 0) return BarsOutcomes.Error(400, "REC_BAD_REQUEST", invalid);
        var referrerId = http.Caller(ApiKeyAuthentication.Referrer);
        if (await FhirRequests.SeenAsync(database, referrerId, requestId))
            return BarsOutcomes.Error(409, "REC_CONFLICT", "duplicate", $"X-Request-Id {requestId} was processed already.");

        if (message!.Reason == "update" && message.Status is "revoked" or "entered-in-error")
            return await WithdrawAsync(http, database, withdrawal, clock, referrerId, requestId, request!, message);
        var news = NewsReply(referrer!, message, correlationId);
        if (news is { Error: { } wrongEndpoint }) return wrongEndpoint;

        var (referral, errors) = ReferralValidator.Validate(request!, CourseShape.Today(clock), rules);
        if (referral is null)
            return BarsOutcomes.Error(400, "REC_BAD_REQUEST",
                errors.SelectMany(e => e.Value.Select(text => new BarsIssue(BarsReferralMessage.PathOf(e.Key), text, "value"))));
        var result = await intake.SubmitAsync(referrerId, referral, Auditor.Of(http), http.RequestAborted, news.Reply);
        if (result.Outcome is not (IntakeOutcome.Created or IntakeOutcome.Repeated))
            return BarsOutcomes.Error(409, "REC_CONFLICT", "conflict",
                $"The ServiceRequest identifier '{referral.ReferrerReference}' was already used for a referral with other details (referral {result.ReferralId}).",
                BarsReferralMessage.PathOf("referrerReference"));
        await FhirRequests.RecordAsync(database, referrerId, requestId, result.ReferralId, clock.GetCurrentInstant());
        return BarsOutcomes.Fhir(BarsResponses.Accepted(message, result.ReferralId, referral.ReferrerReference, ReferralStatus.Received, clock.GetCurrentInstant()));
    }

    public static async Task<IResult> GetServiceRequestAsync(string id, HttpContext http, ReferralsDatabase database, BarsSettings settings)
    {
        if (NotAReferrer(http) is { } refused) return refused;
        if ((await SenderAsync(http, database, settings)).Refused is { } notSent) return notSent;
        var view = Guid.TryParse(id, out var referralId)
            ? await ReferralView.LoadAsync(database, http.Caller(ApiKeyAuthentication.Referrer), referralId)
            : null;
        if (view is null) return BarsOutcomes.Error(404, "REC_NOT_FOUND", "not-found", "No referral of yours has this id.");
        return BarsOutcomes.Fhir(BarsResponses.ServiceRequestOf(view.Id, view.ReferrerReference, view.Status));
    }

    /// <summary>BaRS's 401 or 403 for a caller without a referrer key; null for a referrer.</summary>
    private static IResult? NotAReferrer(HttpContext http) =>
        http.User.Identity?.IsAuthenticated != true
            ? BarsOutcomes.Error(401, "REC_UNAUTHORIZED", "security", "Call with your referrer key: 'Authorization: ApiKey <key>'.")
            : !http.User.IsInRole(ApiKeyAuthentication.Referrer)
                ? BarsOutcomes.Error(403, "REC_FORBIDDEN", "forbidden", "Only a referring service may send or read referrals.")
                : null;

    /// <summary>
    /// BaRS's identity headers: <c>NHSD-Target-Identifier</c> must name this service (<see cref="BarsSettings"/>), and
    /// <c>NHSD-End-User-Organisation</c> the ODS code an administrator recorded for the caller's key — a key speaks for
    /// one organisation only. A referrer without an ODS code is not set up for BaRS.
    /// </summary>
    private static async Task<(IResult? Refused, BarsReferrers.Details? Referrer)> SenderAsync(HttpContext http, ReferralsDatabase database, BarsSettings settings)
    {
        var target = BarsHeaders.TargetOf(http.Request.Headers[BarsHeaders.TargetIdentifier].ToString());
        if (target is null)
            return (BarsOutcomes.Error(400, "REC_BAD_REQUEST", "required",
                $"The {BarsHeaders.TargetIdentifier} header is required: base64 JSON {{ \"value\": \"{settings.TargetValue}\", \"system\": \"{settings.TargetSystem}\" }}."), null);
        if (target != (settings.TargetSystem, settings.TargetValue))
            return (BarsOutcomes.Error(422, "REC_UNPROCESSABLE_ENTITY", "not-found",
                $"{BarsHeaders.TargetIdentifier} names {target.Value.System}|{target.Value.Value}; this service is {settings.TargetSystem}|{settings.TargetValue}."), null);
        var ods = BarsHeaders.OdsCodeOf(http.Request.Headers[BarsHeaders.EndUserOrganisation].ToString());
        if (ods is null)
            return (BarsOutcomes.Error(400, "REC_BAD_REQUEST", "required",
                $"The {BarsHeaders.EndUserOrganisation} header is required: a base64 Organization with its ODS code ({BarsHeaders.OdsOrganisationCode})."), null);
        var referrer = await BarsReferrers.FindAsync(database, http.Caller(ApiKeyAuthentication.Referrer));
        if (referrer is null)
            return (BarsOutcomes.Error(403, "REC_FORBIDDEN", "forbidden",
                "Your key is not set up for BaRS: an administrator records your organisation's ODS code with it first."), null);
        if (referrer.OdsCode != ods)
            return (BarsOutcomes.Error(403, "REC_FORBIDDEN", "forbidden",
                $"{BarsHeaders.EndUserOrganisation} names {ods}; your key is {referrer.OdsCode}'s."), null);
        return (null, referrer);
    }

    /// <summary>
    /// Where a new referral's news goes: nowhere when the referrer has no news endpoint (it polls); else the message's
    /// <c>source.endpoint</c> when it is an address under that endpoint, or the endpoint itself with the sender's BaRS
    /// identifier when <c>source.endpoint</c> is one (<c>system|value</c>). An address elsewhere is refused: a key does not
    /// make this service call where it likes.
    /// </summary>
    private static (BarsNews.Reply? Reply, IResult? Error) NewsReply(BarsReferrers.Details referrer, BarsEnvelope message, string correlationId)
    {
        if (referrer.NewsEndpoint is not { } registered) return (null, null);
        var source = message.ReplyTo?.Trim() ?? "";
        if (source.Split('|') is [{ Length: > 0 }, { Length: > 0 }])
            return (new BarsNews.Reply(registered, correlationId, message.MessageId, source), null);
        if (Uri.TryCreate(source, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
            return BarsReferrers.IsUnder(address, registered) && BarsReferrers.IsSendableEndpoint(source)
                ? (new BarsNews.Reply(source, correlationId, message.MessageId, null), null)
                : (null, BarsOutcomes.Error(400, "REC_BAD_REQUEST", "value",
                    $"Our news goes to the endpoint recorded for your organisation ({registered}); the message's source endpoint is elsewhere.",
                    "Bundle.entry.resource.ofType(MessageHeader).source.endpoint"));
        return (new BarsNews.Reply(registered, correlationId, message.MessageId, null), null);
    }

    /// <summary>An update whose ServiceRequest is revoked or entered in error withdraws the referral it names.</summary>
    private static async Task<IResult> WithdrawAsync(HttpContext http, ReferralsDatabase database, ReferralWithdrawal withdrawal, IClock clock, string referrerId,
        string requestId, ReferralRequest request, BarsEnvelope message)
    {
        var reference = request.ReferrerReference?.Trim() ?? "";
        await using var connection = await database.OpenAsync();
        var id = await connection.QuerySingleOrDefaultAsync<string>(
            "select id from referrals where referrer_id = @referrerId and referrer_reference = @reference", new { referrerId, reference });
        if (id is null || !await withdrawal.WithdrawAsync(referrerId, Guid.Parse(id), $"ServiceRequest {message.Status} (BaRS update)", Auditor.Of(http), http.RequestAborted))
            return BarsOutcomes.Error(404, "REC_NOT_FOUND", "not-found", $"No referral of yours has the identifier '{reference}'.",
                BarsReferralMessage.PathOf("referrerReference"));
        var now = clock.GetCurrentInstant();
        await FhirRequests.RecordAsync(database, referrerId, requestId, Guid.Parse(id), now);
        return BarsOutcomes.Fhir(BarsResponses.Accepted(message, Guid.Parse(id), reference, ReferralStatus.Cancelled, now));
    }

    /// <returns>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</returns>
    private static async Task<string?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return null;
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > MaxBodyBytes) return null;
        }
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}
