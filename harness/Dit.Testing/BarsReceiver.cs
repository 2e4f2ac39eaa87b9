using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dit.Testing;

/// <summary>One message a referrer's BaRS receiver took: its headers and its Bundle.</summary>
public sealed record BarsDelivery(string RequestId, string CorrelationId, string? TargetIdentifier, JsonObject Bundle)
{
    /// <summary>The ServiceRequest's status and its notes (our referral status first).</summary>
    public (string Status, IReadOnlyList<string> Notes) ServiceRequest
    {
        get
        {
            var request = Resources("ServiceRequest").Single();
            return (request["status"]!.GetValue<string>(), request["note"]?.AsArray().Select(n => n!["text"]!.GetValue<string>()).ToList() ?? []);
        }
    }

    public IEnumerable<JsonObject> Resources(string type) =>
        Bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).Where(r => r["resourceType"]!.GetValue<string>() == type);
}

/// <summary>
/// A referring service's BaRS receiver, as the standard describes one (booking-and-referral-1.4.0.yaml,
/// <c>$process-message</c>): <c>POST /fhir/$process-message</c> with <c>application/fhir+json</c>, <c>X-Request-Id</c> and
/// <c>X-Correlation-Id</c> as UUIDs (400 otherwise), a message Bundle (400 otherwise), an X-Request-Id it has processed
/// before answered 409 duplicate — and the answers a test asks for next (<see cref="FailNext"/>: 503 while it is down, 400
/// for a message it refuses).
/// </summary>
public sealed class BarsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _seen = new();

    private BarsReceiver(WebApplication app) => _app = app;

    /// <summary>Where the referrer takes messages: its <c>$process-message</c>.</summary>
    public string Endpoint => $"{_app.Urls.First()}/fhir/$process-message";

    public ConcurrentQueue<BarsDelivery> Delivered { get; } = new();

    /// <summary>Statuses to answer the next requests with, instead of taking them.</summary>
    public ConcurrentQueue<int> FailNext { get; } = new();

    /// <summary>How many requests it answered 409 (a message it had already).</summary>
    public int Duplicates;

    public static async Task<BarsReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new BarsReceiver(app);
        app.MapPost("/fhir/$process-message", (Delegate)receiver.TakeAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> TakeAsync(HttpContext http)
    {
        if (FailNext.TryDequeue(out var status)) return Outcome(status, status >= 500 ? "REC_SERVER_ERROR" : "REC_BAD_REQUEST", "as the test asked");
        if (http.Request.ContentType?.Split(';')[0] != "application/fhir+json") return Outcome(415, "REC_BAD_REQUEST", "not application/fhir+json");
        var requestId = http.Request.Headers["X-Request-Id"].ToString();
        var correlationId = http.Request.Headers["X-Correlation-Id"].ToString();
        if (!Guid.TryParse(requestId, out _) || !Guid.TryParse(correlationId, out _)) return Outcome(400, "REC_BAD_REQUEST", "X-Request-Id and X-Correlation-Id are UUIDs");
        var bundle = (await JsonNode.ParseAsync(http.Request.Body))?.AsObject();
        if (bundle?["resourceType"]?.GetValue<string>() != "Bundle" || bundle["type"]?.GetValue<string>() != "message")
            return Outcome(400, "REC_BAD_REQUEST", "not a message Bundle");
        if (!_seen.TryAdd(requestId, true))
        {
            Interlocked.Increment(ref Duplicates);
            return Outcome(409, "REC_CONFLICT", "duplicate");
        }
        var target = http.Request.Headers["NHSD-Target-Identifier"].ToString();
        Delivered.Enqueue(new BarsDelivery(requestId, correlationId, target == "" ? null : target, bundle));
        return Results.Text("""{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}""", "application/fhir+json");
    }

    private static IResult Outcome(int status, string code, string diagnostics) => Results.Text(
        new JsonObject
        {
            ["resourceType"] = "OperationOutcome",
            ["issue"] = new JsonArray(new JsonObject
            {
                ["severity"] = "error", ["code"] = "processing", ["diagnostics"] = diagnostics,
                ["details"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://fhir.nhs.uk/CodeSystem/http-error-codes", ["code"] = code }) },
            }),
        }.ToJsonString(), "application/fhir+json", statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
