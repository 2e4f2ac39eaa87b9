using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Progress;

namespace Dit.Scheduling.Therapists;

/// <summary>
/// A therapist's caseload (<c>GET /api/me/caseload</c>): each booked course they hold — the patient's initials, the next
/// session n of N and its phase, the last two PHQ-9 and GAD-7 totals (the trend), a PHQ-9 item 9 answer waiting for
/// review, a held session with no scores, and the last message that did not reach the patient (or a channel they stopped). Names and contact details stay with referrals, which gives them to the
/// therapist's page by referral id (<c>GET /api/me/patients</c>).
/// </summary>
public static class Caseload
{
    public sealed record Entry(Guid CourseId, Guid ReferralId, string PatientInitials, int? NextSession, int Sessions, string? NextLocalStart, string? Phase,
        int? Phq9, int? PreviousPhq9, int? Gad7, int? PreviousGad7, bool ClinicalReview, bool QuestionnaireMissing, string? MessageProblem);

    public static async Task<Results<Ok<List<Entry>>, ProblemHttpResult>> GetAsync(SchedulingDatabase database, CoursePhases phases, HttpContext http)
    {
        List<(string Id, string ReferralId, string? Initials, string? Problem)> courses;
        await using (var connection = await database.OpenAsync())
        {
            if (await OwnPatients.TherapistOfAsync(connection, http) is not { } me) return Problems.NotFound("No therapist is linked to you");
            courses = (await connection.QueryAsync<(string, string, string?, string?)>(
                """
                select c.id, c.referral_id, c.patient_initials,
                       (select case m.channel when 'sms' then 'Text: ' else 'Email: ' end || m.reason from undeliverable_mail m
                        where m.referral_id = c.referral_id order by m.at desc limit 1)
                from courses c where c.therapist_id = @id and c.status = 'booked' order by c.created_at, c.id
                """, new { id = me.Id })).ToList();
        }
        var entries = new List<Entry>();
        foreach (var course in courses)
        {
            if (await CourseProgress.LoadAsync(database, phases, course.Id) is not { } progress) continue;
            var next = progress.Sessions.FirstOrDefault(s => s.Status == "booked" && s.Attendance is null);
            var scored = progress.Sessions.Where(s => s.Scores is not null).ToList();
            var lastHeld = progress.Sessions.LastOrDefault(s => s.Attendance == "attended");
            entries.Add(new Entry(Guid.Parse(course.Id), Guid.Parse(course.ReferralId), course.Initials ?? "", next?.Number, progress.LastSession, next?.LocalStart, next?.Phase,
                scored.LastOrDefault()?.Scores!.Phq9, scored.Count > 1 ? scored[^2].Scores!.Phq9 : null,
                scored.LastOrDefault()?.Scores!.Gad7, scored.Count > 1 ? scored[^2].Scores!.Gad7 : null,
                progress.ClinicalReview is { ReviewedBy: null }, lastHeld is { Scores: null }, course.Problem));
        }
        await http.CoursesReadAsync(database, "caseload.read", courses.Select(c => (Guid.Parse(c.Id), Guid.Parse(c.ReferralId))));
        return TypedResults.Ok(entries);
    }
}
