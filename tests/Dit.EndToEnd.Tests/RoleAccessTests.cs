using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dit.Referrals;
using Dit.Referrals.Keys;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Every operation of the three OpenAPI documents, as each kind of caller — nobody, a referring service's key, and a
/// therapist, coordinator, clinical lead and administrator signed in at the provider — answers as the role table in
/// docs/security.md says: allowed roles get past the door (whatever the answer then: 200, 400 for the placeholder body,
/// 404 for the made-up id — never 5xx), others 401 (nobody) or 403. An operation added without a line here fails.
/// </summary>
public sealed class RoleAccessTests
{
    private const string Anyone = "anyone";
    private const string Referrer = "referrer";
    private const string Therapist = "therapist";
    private const string Coordinator = "coordinator";
    private const string Lead = "clinical-lead";
    private const string Admin = "administrator";
    private static readonly string[] Staff = [Therapist, Coordinator, Lead, Admin];

    /// <summary>The role table: who may call each operation.</summary>
    private static readonly Dictionary<string, string[]> Rules = new()
    {
        ["GET /health/live"] = [Anyone],
        ["GET /calendar/{file}"] = [Anyone],   // the patient's private link: the token is the key
        ["POST /api/referrals"] = [Referrer],
        ["GET /api/referrals"] = [Referrer],
        ["GET /api/referrals/{id}"] = [Referrer],
        ["POST /api/referrals/{id}/withdraw"] = [Referrer],
        ["POST /fhir/$process-message"] = [Referrer],
        ["GET /fhir/ServiceRequest/{id}"] = [Referrer],
        ["GET /fhir/metadata"] = [Anyone],   // what the FHIR edge takes: public, as FHIR servers publish it
        ["GET /fhir/MessageDefinition"] = [Anyone],
        ["GET /fhir/Questionnaire/dit-referral"] = [Anyone],
        ["GET /api/audit/referrals"] = [Lead],
        ["GET /api/referrer-keys"] = [Admin],
        ["POST /api/referrer-keys"] = [Admin],
        ["POST /api/referrer-keys/{id}/revoke"] = [Admin],
        ["PUT /api/referrer-keys/{id}/bars"] = [Admin],
        ["GET /api/audit/scheduling"] = [Lead],
        ["GET /api/audit/notifications"] = [Lead],
        ["POST /api/calendar-feeds/{courseId}/revoke"] = [Coordinator],
        ["GET /api/messages"] = [Coordinator],
        ["GET /api/messages/reminders"] = [Coordinator],
        ["GET /api/courses/flagged"] = [Coordinator],
        ["GET /api/courses/{id}"] = [Coordinator, Lead],
        ["POST /api/courses/{id}/reschedule-following"] = [Coordinator],
        ["POST /api/courses/{id}/cancel"] = [Coordinator],
        ["POST /api/courses/{id}/extend"] = [Coordinator],
        ["POST /api/courses/{id}/end"] = [Coordinator],
        ["POST /api/courses/{id}/reassign"] = [Coordinator],
        ["GET /api/appointments/{id}/alternatives"] = [Coordinator],
        ["POST /api/appointments/{id}/reschedule"] = [Coordinator],
        ["POST /api/appointments/{id}/cancel"] = [Coordinator],
        ["POST /api/appointments/{id}/attendance"] = [Coordinator, Therapist],   // a therapist: own sessions (TherapistAccessTests)
        ["GET /api/therapists"] = [Coordinator, Admin],
        ["POST /api/therapists"] = [Admin],
        ["PUT /api/therapists/{id}/working-hours"] = [Admin],
        ["POST /api/therapists/{id}/leave"] = [Admin],
        ["DELETE /api/therapists/{id}/leave/{leaveId}"] = [Admin],
        ["GET /api/therapists/{id}/diary"] = [Coordinator, Therapist],
        ["PUT /api/therapists/{id}/user"] = [Admin],
        ["GET /api/me"] = [Therapist],
        ["GET /api/me/caseload"] = [Therapist],
        ["GET /api/me/patients"] = [Therapist],   // referrals: the names and contact details of their own patients
        ["GET /api/closed-days"] = [Coordinator, Admin],
        ["POST /api/closed-days"] = [Admin],
        ["DELETE /api/closed-days/{date}"] = [Admin],
        ["GET /api/waitlist"] = [Coordinator],
        ["GET /api/waitlist/late-starts"] = [Coordinator],
        ["GET /api/waitlist/{referralId}/suggestions"] = [Coordinator],
        ["POST /api/waitlist/{referralId}/windows"] = [Coordinator],
        ["GET /api/mail/undeliverable"] = [Coordinator],
        ["GET /api/reviews"] = [Coordinator],
        ["POST /api/reviews/{referralId}/accept"] = [Coordinator],
        ["POST /api/reviews/{referralId}/close"] = [Coordinator],
        ["GET /api/questionnaires"] = Staff,
        ["GET /api/courses/clinical-review"] = [Lead, Therapist],
        ["POST /api/courses/{id}/clinical-review/reviewed"] = [Lead, Therapist],
        ["GET /api/courses/{id}/progress"] = [Lead, Therapist],
        ["PUT /api/courses/{id}/sessions/{number}/scores"] = [Lead, Therapist],
        ["GET /api/figures"] = [Lead],
        ["POST /api/keys"] = Staff,
        ["GET /api/keys"] = Staff,
        ["POST /api/keys/{id}/revoke"] = Staff,
    };

    [Fact]
    public async Task Every_operation_of_the_three_API_documents_answers_each_role_as_the_role_table_says()
    {
        await using var clinic = await StaffClinic.StartAsync();
        var (_, referrerKey) = await Referrers.Holders.AddAsync(clinic.Services.Services.GetRequiredService<ReferralsDatabase>(), "Service A",
            SystemClock.Instance.GetCurrentInstant());
        var callers = new Dictionary<string, AuthenticationHeaderValue?>
        {
            ["nobody"] = null,
            [Referrer] = new("ApiKey", referrerKey),
            [Therapist] = new("Bearer", await clinic.AccessTokenAsync("therapist", "demo-therapist")),
            [Coordinator] = new("Bearer", await clinic.AccessTokenAsync("coordinator", "demo-coordinator")),
            [Lead] = new("Bearer", await clinic.AccessTokenAsync("lead", "demo-lead")),
            [Admin] = new("Bearer", await clinic.AccessTokenAsync("admin", "demo-admin")),
        };
        using var http = clinic.Client("ApiKey", referrerKey);
        var operations = new List<(string Method, string Path)>();
        foreach (var document in new[] { "referrals", "scheduling", "notifications" })
        {
            var paths = (await http.GetFromJsonAsync<JsonObject>($"/openapi/{document}.json"))!["paths"]!.AsObject();
            operations.AddRange(paths.SelectMany(p => p.Value!.AsObject().Select(o => (o.Key.ToUpperInvariant(), p.Key))));
        }

        var problems = new List<string>();
        foreach (var (method, path) in operations.Distinct())
        {
            if (!Rules.TryGetValue($"{method} {path}", out var allowed))
            {
                problems.Add($"{method} {path}: no rule in the role table");
                continue;
            }
            foreach (var (caller, credential) in callers)
            {
                using var client = clinic.Client("ApiKey", "unused");
                client.DefaultRequestHeaders.Authorization = credential;
                using var request = new HttpRequestMessage(new HttpMethod(method), Filled(path))
                {
                    Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null,
                };
                var status = (int)(await client.SendAsync(request)).StatusCode;
                var expected = allowed.Contains(Anyone) || allowed.Contains(caller) ? "in" : caller == "nobody" ? "401" : "403";
                var ok = expected switch
                {
                    "in" => status is not (401 or 403) && status < 500,
                    "401" => status == 401,
                    _ => status == 403,
                };
                if (!ok) problems.Add($"{method} {path} as {caller}: {status}, expected {expected}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(Rules.Count, operations.Distinct().Count());   // no rule left over for an operation that went
    }

    /// <summary>The path with made-up values for its parameters.</summary>
    private static string Filled(string path) => Regex.Replace(path, "{([^}]+)}", match => match.Groups[1].Value switch
    {
        "number" => "1",
        "date" => "2031-01-01",
        "file" => "not-a-token.ics",
        _ => Guid.NewGuid().ToString(),
    });
}
