using System.Security.Claims;
using System.Text.Json;
using Dit.Referrals.Intake;
using Dit.Referrals.Status;

namespace Dit.Referrals.Therapists;

/// <summary>
/// <c>GET /api/me/patients</c>: the name, NHS number, date of birth and contact details (with what the patient agreed to)
/// (less what they stopped from a message's link) of the patients whose course the signed-in therapist holds now — theirs and no one else's. Scheduling holds no
/// identity, so the therapist's page takes these from here and the rest from scheduling's caseload, by referral id.
/// Every patient shown is on the audit trail.
/// </summary>
public static class OwnPatientsApi
{
    public sealed record PatientView(Guid ReferralId, string GivenName, string FamilyName, string NhsNumber, string DateOfBirth,
        string? Email, string? Mobile, bool AgreedToEmail, bool AgreedToTexts);

    public static IEndpointRouteBuilder MapOwnPatientsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/me").WithGroupName("referrals").WithTags("Therapists")
            .RequireRateLimiting(RateLimits.PerKey)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(StaffTokens.Therapist)
            .MapGet("/patients", ListAsync)
            .WithSummary("Your patients' names and contact details: the courses you hold now (therapists)");
        return app;
    }

    private static async Task<Ok<List<PatientView>>> ListAsync(HttpContext http, ReferralsDatabase database)
    {
        List<(string Id, string Json, long? EmailStopped, long? SmsStopped)> rows;
        await using (var connection = await database.OpenAsync())
            rows = (await connection.QueryAsync<(string, string, long?, long?)>(
                """
                select r.id, r.request_json, r.email_stopped_at, r.sms_stopped_at from referrals r
                join therapist_people p on p.therapist_id = r.therapist_id
                where p.person_id = @person and r.status = @booked
                order by r.created_at, r.id
                """, new { person = http.User.FindFirstValue(ClaimTypes.NameIdentifier), booked = ReferralStatus.Booked })).ToList();
        var patients = rows.Select(row =>
        {
            var referral = JsonSerializer.Deserialize<ValidReferral>(row.Json, MessageJson.Options)!;
            var patient = referral.Patient;
            return new PatientView(Guid.Parse(row.Id), patient.GivenName, patient.FamilyName, patient.NhsNumber,
                patient.DateOfBirth.ToString("yyyy-MM-dd"), patient.Email, patient.Mobile,
                referral.Consent.Email && row.EmailStopped is null, referral.Consent.Sms && row.SmsStopped is null);
        }).ToList();
        await http.AuditReadsAsync(database, patients.Select(p => new AuditEntry("patient.read", p.ReferralId.ToString(), null)));
        return TypedResults.Ok(patients);
    }
}
