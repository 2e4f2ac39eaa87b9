using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Tests;

/// <summary>
/// Issue 20, generated from the served OpenAPI document: every date or local date-time field and parameter of the
/// coordinator API, given 0001-01-01, 9999-12-31 and the days just past its bounds (five years either side of today),
/// answers 400 naming that field — never 500, never accepted — and the edges themselves are taken.
/// </summary>
public sealed class HostileDatesTests
{
    private sealed record DateField(string Method, string Route, string Name, bool InBody, bool WithTime, JsonObject? BodySchema);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_date_the_coordinator_API_takes_is_bounded_at_the_door(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider, extra: new() { ["RateLimit:PermitLimit"] = "100000" });
        var coordinator = await app.NewStaffAsync("Coordinator and administrator", "coordinator", "administrator");
        var therapist = await app.AddTherapistAsync("Sam Okafor", new LocalTime(7, 0), new LocalTime(23, 0));
        await app.Services.GetRequiredService<IBus>().Publish(new ReferralForBooking(Guid.NewGuid(), "referrer-1",
            [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0))],
            new DateOnly(2027, 1, 11), "Europe/London", "AS", DateTimeOffset.UtcNow));
        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        var courseId = await app.ScalarAsync<string>("select id from courses");
        var appointmentId = await app.ScalarAsync<string>("select id from appointments where session_number = 1");

        var document = JsonNode.Parse(await coordinator.GetStringAsync("/openapi/scheduling.json"))!;
        var fields = DateFields(document).ToList();
        // What the API takes today: leave from/to, diary from/to, closed days (list from/to, add, remove), two kinds of move.
        Assert.True(fields.Count >= 9, string.Join(", ", fields.Select(f => $"{f.Method} {f.Route} {f.Name}")));

        var today = SchedulingApp.DefaultNow.InUtc().Date;
        var refused = new[] { new LocalDate(1, 1, 1), new LocalDate(9999, 12, 31), today.PlusYears(-5).PlusDays(-1), today.PlusYears(5).PlusDays(1) };
        var failures = new List<string>();
        foreach (var field in fields)
        {
            foreach (var date in refused)
            {
                var response = await SendAsync(coordinator, field, date, therapist, courseId, appointmentId, today);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.BadRequest)
                    failures.Add($"{field.Method} {field.Route} {field.Name} = {date}: {(int)response.StatusCode} {body}");
                else if (JsonNode.Parse(body)?["errors"]?[field.Name] is null)
                    failures.Add($"{field.Method} {field.Route} {field.Name} = {date}: 400 not naming the field: {body}");
            }
            // The edges are inside: whatever else the endpoint says of them, it is not that the date is out of range.
            foreach (var date in new[] { today.PlusYears(-5), today.PlusYears(5) })
            {
                var response = await SendAsync(coordinator, field, date, therapist, courseId, appointmentId, today);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || body.Contains("within 5 years of today"))
                    failures.Add($"{field.Method} {field.Route} {field.Name} = {date} (an edge): {(int)response.StatusCode} {body}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(16, await app.ScalarAsync<long>("select count(*) from appointments where status = 'booked'"));
    }

    /// <summary>Every parameter and body property the document marks <c>format: date</c> or <c>local-date-time</c>.</summary>
    private static IEnumerable<DateField> DateFields(JsonNode document)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (route, operations) in document["paths"]!.AsObject())
        foreach (var (method, operation) in operations!.AsObject())
        {
            foreach (var parameter in operation!["parameters"]?.AsArray() ?? [])
                if (parameter!["schema"]?["format"]?.GetValue<string>() is "date" or "local-date-time" && parameter["schema"]!["format"]!.GetValue<string>() is var format)
                    yield return new DateField(method.ToUpperInvariant(), route, parameter["name"]!.GetValue<string>(), false, format == "local-date-time", null);
            var reference = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
            if (reference is null) continue;
            var schema = schemas[reference.Split('/')[^1]]!.AsObject();
            foreach (var (name, property) in schema["properties"]!.AsObject())
                if (property!["format"]?.GetValue<string>() is "date" or "local-date-time")
                    yield return new DateField(method.ToUpperInvariant(), route, name, true, property["format"]!.GetValue<string>() == "local-date-time", schema);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, DateField field, LocalDate date, Guid therapist, string courseId,
        string appointmentId, LocalDate today)
    {
        string Text(LocalDate d, bool withTime) => LocalDatePattern.Iso.Format(d) + (withTime ? "T18:00" : "");
        var good = today.PlusDays(8);
        var route = field.Route
            .Replace("/api/therapists/{id}", $"/api/therapists/{therapist}")
            .Replace("/api/courses/{id}", $"/api/courses/{courseId}")
            .Replace("/api/appointments/{id}", $"/api/appointments/{appointmentId}")
            .Replace("{date}", Text(field.Name == "date" && !field.InBody ? date : good, false));
        if (route.Contains("{date}") || route.Contains('{')) throw new InvalidOperationException($"No value for a parameter of {field.Route}");

        var query = "";
        if (!field.InBody && field.Route.Contains("diary") || field.Route == "/api/closed-days" && field.Method == "GET")
            query = "?" + string.Join("&", new[] { "from", "to" }.Select(p => $"{p}={Text(p == field.Name ? date : p == "from" ? good : good.PlusDays(7), false)}"));
        var request = new HttpRequestMessage(new HttpMethod(field.Method), route + query);
        if (field.BodySchema is { } schema)
        {
            var body = new JsonObject();
            foreach (var (name, property) in schema["properties"]!.AsObject())
            {
                var format = property!["format"]?.GetValue<string>();
                var type = property["type"]?.ToJsonString() ?? "";
                body[name] = format is "date" or "local-date-time"
                    ? Text(name == field.Name ? date : name == "to" ? good.PlusDays(1) : good, format == "local-date-time")
                    : type.Contains("integer") ? 1 : type.Contains("boolean") ? false : "x";
            }
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        return client.SendAsync(request);
    }
}
