using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dit.Testing;

/// <summary>A text GOV.UK Notify took: the number as sent, the template, its personalisation and our reference.</summary>
public sealed record NotifyText(string PhoneNumber, string TemplateId, IReadOnlyDictionary<string, string> Personalisation, string? Reference);

/// <summary>
/// A local stand-in for GOV.UK Notify's API (<c>POST /v2/notifications/sms</c>) that checks what Notify checks and answers
/// as its API documentation says: the API key's JWT (HS256 with the key's secret, <c>iss</c> the service id, <c>iat</c>
/// within 30 seconds) — else 403 <c>AuthError</c>; the template id — else 400 <c>BadRequestError</c> "Template not found";
/// a UK mobile number — else 400 <c>ValidationError</c> "phone_number Not a UK mobile number" (or "Must not contain
/// letters or symbols"), and for a number abroad <c>BadRequestError</c> "Cannot send to international mobile numbers"
/// (a service without international texts, Notify's default); every personalisation key
/// the template uses — else 400 <c>BadRequestError</c> "Missing personalisation: …"; then 201 with the notification, and a
/// delivery receipt to the <see cref="Callback"/> (Notify's callback body, with its bearer token).
/// <see cref="FailNext"/> answers the next requests with a status of Notify's (429 rate limit, 500) instead.
/// </summary>
public sealed class NotifyServer : IAsyncDisposable
{
    public const string ServiceId = "26785a09-ab16-4eb0-8407-a37497a57506";
    private const string Secret = "3d844edf-8d35-48ac-975b-e847b4f122b0";
    private readonly WebApplication _app;
    private readonly Dictionary<string, string[]> _templates;

    private NotifyServer(WebApplication app, Dictionary<string, string[]> templates) => (_app, _templates) = (app, templates);

    /// <summary>A key as Notify gives one: name, service id, secret.</summary>
    public static string ApiKey => $"dit_test-{ServiceId}-{Secret}";

    public string Url => _app.Urls.First();

    public ConcurrentQueue<NotifyText> Texts { get; } = new();

    /// <summary>Statuses to answer the next requests with (each used once), before any check: 429, 500 …</summary>
    public ConcurrentQueue<int> FailNext { get; } = new();

    /// <param name="templates">Each template's id and the personalisation keys it uses.</param>
    public static async Task<NotifyServer> StartAsync(Dictionary<string, string[]> templates)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new NotifyServer(app, templates);
        app.MapPost("/v2/notifications/sms", (Delegate)server.SendSmsAsync);
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> SendSmsAsync(HttpContext http)
    {
        if (FailNext.TryDequeue(out var status))
            return Error(status, status == 429 ? "RateLimitError" : "Exception", status == 429 ? "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds" : "Internal server error");
        if (await AuthErrorAsync(http) is { } auth) return Error(403, "AuthError", auth);
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        var templateId = body["template_id"]?.GetValue<string>() ?? "";
        if (!_templates.TryGetValue(templateId, out var keys)) return Error(400, "BadRequestError", "Template not found");
        var phone = Regex.Replace(body["phone_number"]?.GetValue<string>() ?? "", @"[\s()-]", "");
        if (Regex.IsMatch(phone, @"^(\+|00)(?!44)")) return Error(400, "BadRequestError", "Cannot send to international mobile numbers");
        if (Regex.IsMatch(phone, "[^0-9+]")) return Error(400, "ValidationError", "phone_number Must not contain letters or symbols");
        if (!Regex.IsMatch(phone, @"^(\+44|0044|0)7\d{9}$")) return Error(400, "ValidationError", "phone_number Not a UK mobile number");
        var personalisation = (body["personalisation"]?.AsObject() ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");
        var missing = keys.Where(k => !personalisation.ContainsKey(k)).ToList();
        if (missing.Count > 0) return Error(400, "BadRequestError", $"Missing personalisation: {string.Join(", ", missing)}");
        var reference = body["reference"]?.GetValue<string>();
        Texts.Enqueue(new NotifyText(phone, templateId, personalisation, reference));
        var id = Guid.NewGuid();
        if (Callback is { } callback) _ = SendReceiptAsync(callback, id, reference, phone, templateId);
        return Results.Json(new
        {
            id, reference,
            content = new { body = string.Join(" ", personalisation.Values), from_number = "GOVUK" },
            uri = $"{Url}/v2/notifications/{id}",
            template = new { id = templateId, version = 1, uri = $"{Url}/services/{ServiceId}/templates/{templateId}" },
        }, statusCode: 201);
    }

    /// <summary>
    /// Where to send delivery receipts (a client and its address: an in-memory test server's client will do) and the bearer
    /// token they carry, as set in Notify's callback settings. Null: none are sent. Like Notify's simulated numbers (research mode and test keys), 07700900002 gets permanent-failure,
    /// 07700900003 temporary-failure, every other number delivered.
    /// </summary>
    public (HttpClient Client, string Url, string BearerToken)? Callback { get; set; }

    /// <summary>Receipts the callback did not take with a 2xx (Notify tries those again; here they are counted).</summary>
    public int RefusedReceipts;

    private async Task SendReceiptAsync((HttpClient Client, string Url, string BearerToken) callback, Guid id, string? reference, string phone, string templateId)
    {
        await Task.Delay(200);
        var local = Regex.Replace(phone, @"^(\+44|0044)", "0");
        var status = local switch { "07700900002" => "permanent-failure", "07700900003" => "temporary-failure", _ => "delivered" };
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url)
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["id"] = id, ["reference"] = reference, ["to"] = phone, ["status"] = status, ["created_at"] = now, ["completed_at"] = now,
                ["sent_at"] = now, ["notification_type"] = "sms", ["template_id"] = templateId, ["template_version"] = 1,
            }),
        };
        request.Headers.Authorization = new("Bearer", callback.BearerToken);
        try
        {
            using var response = await callback.Client.SendAsync(request);
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref RefusedReceipts);
        }
        catch (HttpRequestException) { Interlocked.Increment(ref RefusedReceipts); }
    }

    /// <summary>Notify's checks of the bearer token, in its words; null when it passes.</summary>
    private static async Task<string?> AuthErrorAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return "Unauthorized: authentication token must be provided";
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], new TokenValidationParameters
        {
            ValidIssuer = ServiceId, ValidateAudience = false, ValidateLifetime = false, RequireExpirationTime = false,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        if (!result.IsValid) return "Invalid token: API key not found";
        var issuedAt = ((JsonWebToken)result.SecurityToken).IssuedAt;
        return Math.Abs((DateTime.UtcNow - issuedAt).TotalSeconds) > 30 ? "Error: Your system clock must be accurate to within 30 seconds" : null;
    }

    private static IResult Error(int status, string error, string message) =>
        Results.Json(new { status_code = status, errors = new[] { new { error, message } } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
