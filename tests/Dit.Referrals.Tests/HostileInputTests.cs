using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dit.Referrals.Tests;

/// <summary>A catalogue of bad requests: each must get a clear 4xx, never a 500, and leave nothing behind.</summary>
public sealed class HostileInputTests
{
    private static string Body(string path, JsonNode? value) => Referral.With(path, value).ToJsonString();

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    public static IEnumerable<(string Name, HttpMethod Method, string Path, string? ContentType, string? Body)> Catalogue()
    {
        const string post = "/api/referrals";
        var json = "application/json";
        yield return ("malformed JSON", HttpMethod.Post, post, json, "{\"referrerReference\": ");
        yield return ("an array", HttpMethod.Post, post, json, "[]");
        yield return ("null", HttpMethod.Post, post, json, "null");
        yield return ("a string", HttpMethod.Post, post, json, "\"referral\"");
        yield return ("a number", HttpMethod.Post, post, json, "42");
        yield return ("an empty body", HttpMethod.Post, post, json, "");
        yield return ("nesting 100 deep", HttpMethod.Post, post, json, Nested(100));
        yield return ("a 10,000-character name", HttpMethod.Post, post, json, Body("patient.givenName", new string('a', 10_000)));
        yield return ("1,000 impossible windows", HttpMethod.Post, post, json, Body("availability",
            new JsonArray(Enumerable.Range(0, 1000).Select(_ => (JsonNode)new JsonObject { ["day"] = "Monday", ["from"] = "25:00", ["to"] = "26:00" }).ToArray())));
        yield return ("a 100 KB body", HttpMethod.Post, post, json, Body("presentingProblem", new string('x', 100_000)));
        yield return ("30 February", HttpMethod.Post, post, json, Body("patient.dateOfBirth", "1990-02-30"));
        yield return ("month 13", HttpMethod.Post, post, json, Body("earliestStart", "2027-13-01"));
        yield return ("24:00", HttpMethod.Post, post, json, Body("availability[0].to", "24:00"));
        yield return ("7:00 without a leading zero", HttpMethod.Post, post, json, Body("availability[0].from", "7:00"));
        yield return ("a window at 05:00", HttpMethod.Post, post, json, Body("availability[0].from", "05:00"));
        yield return ("a window ending 23:30", HttpMethod.Post, post, json, Body("availability[0].to", "23:30"));
        yield return ("SQL in a name", HttpMethod.Post, post, json, Body("patient.familyName", "Robert'); DROP TABLE referrals;--"));
        yield return ("a script tag in a name", HttpMethod.Post, post, json, Body("patient.givenName", "<script>alert(1)</script>"));
        yield return ("a right-to-left override in a name", HttpMethod.Post, post, json, Body("patient.givenName", "Al\u202Eex"));
        yield return ("a zero-width space in a name", HttpMethod.Post, post, json, Body("patient.familyName", "Smi\u200Bth"));
        yield return ("an emoji name", HttpMethod.Post, post, json, Body("patient.givenName", "🙂"));
        yield return ("a lone combining mark", HttpMethod.Post, post, json, Body("patient.givenName", "\u0301"));
        yield return ("Arabic-Indic digits as NHS number", HttpMethod.Post, post, json, Body("patient.nhsNumber", "٩٤٣٤٧٦٥٩١٩"));
        yield return ("a header injection in the email", HttpMethod.Post, post, json, Body("patient.email", "a@b.org\r\nBcc: x@y.org"));
        yield return ("letters in the mobile", HttpMethod.Post, post, json, Body("patient.mobile", "07700 9OO123"));
        yield return ("a path as the time zone", HttpMethod.Post, post, json, Body("timeZone", "../../etc/passwd"));
        yield return ("SQL as the time zone", HttpMethod.Post, post, json, Body("timeZone", "UTC'; drop table referrals;--"));
        yield return ("availability as an object", HttpMethod.Post, post, json, Body("availability", new JsonObject { ["day"] = "Monday" }));
        yield return ("consent as a string", HttpMethod.Post, post, json, Body("consent.email", "yes"));
        yield return ("risk as a string", HttpMethod.Post, post, json, Body("risk.currentRisk", "true"));
        yield return ("a number too big for a date", HttpMethod.Post, post, json, Body("patient.dateOfBirth", JsonNode.Parse("1e309")));
        yield return ("an unknown property in patient", HttpMethod.Post, post, json, Body("patient.shoeSize", 9));
        yield return ("no patient", HttpMethod.Post, post, json, Body("patient", null));
        yield return ("no availability", HttpMethod.Post, post, json, Body("availability", null));
        yield return ("an empty availability", HttpMethod.Post, post, json, Body("availability", new JsonArray()));
        yield return ("Caturday", HttpMethod.Post, post, json, Body("availability[0].day", "Caturday"));
        yield return ("a 65-character reference", HttpMethod.Post, post, json, Body("referrerReference", new string('R', 65)));
        yield return ("text/plain", HttpMethod.Post, post, "text/plain", Referral.Valid().ToJsonString());
        yield return ("XML", HttpMethod.Post, post, "application/xml", "<referral/>");
        yield return ("no content type", HttpMethod.Post, post, null, Referral.Valid().ToJsonString());
        yield return ("an encoded path traversal as id", HttpMethod.Get, "/api/referrals/%2e%2e%2f%2e%2e%2fetc%2fpasswd", null, null);
        yield return ("a control character as id", HttpMethod.Get, "/api/referrals/%01%1b", null, null);
        yield return ("SQL as id", HttpMethod.Get, "/api/referrals/1'%20or%20'1'='1", null, null);
        yield return ("an empty reference", HttpMethod.Get, "/api/referrals?reference=", null, null);
        yield return ("withdrawing with a 10,000-character reason", HttpMethod.Post, $"/api/referrals/{Guid.NewGuid()}/withdraw", json,
            JsonSerializer.Serialize(new { reason = new string('r', 10_000) }));
        yield return ("withdrawing a path", HttpMethod.Post, "/api/referrals/..%2f..%2f/withdraw", json, "{}");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_hostile_request_gets_a_clear_4xx_and_leaves_nothing_behind(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider, ("RateLimit:PermitLimit", "1000"));
        var client = await app.NewReferrerAsync();
        var cases = Catalogue().ToList();
        var failures = new List<string>();

        foreach (var (name, method, path, contentType, body) in cases)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (contentType is not null) request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }
            var response = await client.SendAsync(request);
            var code = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (code is < 400 or >= 500) failures.Add($"{name}: {code}");
            else if (type != "application/problem+json") failures.Add($"{name}: {code} with {type ?? "no body"}");
        }

        Assert.True(cases.Count >= 40, $"only {cases.Count} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, await app.CountAsync("referrals"));
        Assert.Equal(0, await app.CountAsync("outbox"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/referrals",
            new StringContent(Referral.Valid().ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);   // still serving
    }
}
