using System.Diagnostics;
using System.Net;
using System.Text;
using Dit.Testing;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Issue 21, point 3: each service that serves a private link, run alone as the Compose stack runs it, with every log
/// category at Debug and traces exported, answers the link's route and writes its secret nowhere — not in ASP.NET Core's
/// "Request starting" and "Request finished" lines, not in a log scope, not in a span.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class PrivateLinkRedactionTests
{
    [Theory]
    [InlineData("notifications", "/calendar/{0}.ics", "GET")]
    [InlineData("scheduling", "/questionnaire/{0}", "GET")]
    [InlineData("scheduling", "/questionnaire/{0}", "POST")]
    public async Task A_service_alone_at_debug_logs_and_traces_the_private_link_route_without_its_secret(string service, string route, string method)
    {
        await using var collector = OtlpCollector.Start();
        await using var process = ServiceProcess.For(service, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            ["Telemetry:Otlp:Endpoint"] = collector.Url,
            ["Telemetry:ExportSeconds"] = "1",
        });
        await process.StartAsync();
        var secret = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "SeCrEt";
        var traceId = ActivityTraceId.CreateRandom();
        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(route, secret));
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        if (method == "POST") request.Content = new FormUrlEncodedContent([new("phq9.1", "0")]);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);   // an unknown link, answered
        var spans = await collector.WaitForTraceAsync(traceId.ToHexString(), $"dit-{service}: {method} {route.Split('/')[1] switch
        {
            "calendar" => "/calendar/{file}",
            _ => "/questionnaire/{token}",
        }}");
        Assert.NotEmpty(spans);                                               // the request was traced …
        await Waiting.UntilAsync(() => process.ReadLog().Contains("Request finished"), TimeSpan.FromSeconds(10), "the request's log lines");
        var log = process.ReadLog();
        Assert.Contains($"/{route.Split('/')[1]}/[private]", log);             // … and logged, its secret replaced
        Assert.DoesNotContain(secret, log);
        var exported = string.Concat(collector.Exports("/v1/traces").Select(Encoding.UTF8.GetString));
        Assert.Contains("[private]", exported);
        Assert.DoesNotContain(secret, exported);
    }
}
