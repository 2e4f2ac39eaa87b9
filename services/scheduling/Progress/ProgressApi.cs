using System.Security.Claims;
using Dit.Scheduling.Coordinators;

namespace Dit.Scheduling.Progress;

/// <summary>Scores recorded by the clinic, a course's progress and outcome, and the courses waiting for clinical review.</summary>
public static class ProgressApi
{
    public static IEndpointRouteBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        app.MapStaffGroup("/api/questionnaires", "Progress", StaffTokens.StaffRoles.ToArray())
            .MapGet("/", () => TypedResults.Ok(new[] { Questionnaires.Phq9, Questionnaires.Gad7, Questionnaires.Wsas }))
            .WithSummary("The outcome measures, item by item, as published");
        var courses = app.MapStaffGroup("/api/courses", "Progress", CoordinatorAccess.ClinicalLead, CoordinatorAccess.Therapist);
        courses.MapGet("/clinical-review", ClinicalReviewAsync)
            .WithSummary("Courses whose PHQ-9 item 9 was answered above 0, waiting for clinical review (a therapist: their own patients')");
        courses.MapPost("/{id}/clinical-review/reviewed", ReviewedAsync).WithSummary("Mark a course's clinical review done (a therapist: their own patient's)");
        courses.MapGet("/{id}/progress", ProgressAsync).WithSummary("Each session's phase, measures and scores; the outcome so far (final once the course has ended)");
        courses.MapPut("/{id}/sessions/{number:int}/scores", RecordAsync).WithSummary("Record a session's scores from a paper form or the room (replaces earlier ones)");
        return app;
    }

    public static async Task<Results<Ok<CourseProgress>, ProblemHttpResult>> ProgressAsync(string id, SchedulingDatabase database, CoursePhases phases,
        HttpContext http)
    {
        if (!Guid.TryParse(id, out _) || !await MaySeeAsync(database, id, http) || await CourseProgress.LoadAsync(database, phases, id) is not { } progress)
            return Problems.NotFound("No such course");
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await http.AuditCourseAsync(connection, transaction, database, id, "progress.read");
            return true;
        });
        return TypedResults.Ok(progress);
    }

    public static async Task<Results<Ok<CourseProgress>, ProblemHttpResult>> RecordAsync(string id, int number, ScoresRequest request,
        SchedulingDatabase database, CoursePhases phases, IClock clock, HttpContext http)
    {
        if (!Guid.TryParse(id, out _) || !await MaySeeAsync(database, id, http)) return Problems.NotFound("No such course");
        (string Status, long Last) session;
        await using (var connection = await database.OpenAsync())
            session = await connection.QuerySingleOrDefaultAsync<(string Status, long Last)>(
                """
                select a.status, (select max(session_number) from appointments where course_id = @id) as last
                from appointments a where a.course_id = @id and a.session_number = @number
                """, new { id, number });
        if (session.Status is null) return Problems.NotFound($"The course has no session {number}");
        if (session.Status == "cancelled") return Problems.Conflict($"Session {number} was cancelled", "Scores belong to a session that took place.");
        var (answers, errors) = SessionAnswers.Check(Questionnaires.For(number, (int)session.Last), request.ToAnswers());
        if (answers is null) return Problems.BadRequest(errors.ToDictionary(e => e.Key, e => new[] { e.Value }), "Some answers are missing or not allowed");
        var role = ClinicalRole(http);
        var recordedBy = http.Caller(role);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await SessionScores.RecordAsync(connection, transaction, id, number, answers, $"{role}:{recordedBy}", clock.GetCurrentInstant());
            await http.AuditCourseAsync(connection, transaction, database, id, "scores.recorded", FieldChange.Withheld($"session {number} scores"));
            return true;
        });
        return TypedResults.Ok((await CourseProgress.LoadAsync(database, phases, id))!);
    }

    public static async Task<Ok<List<ClinicalReviewEntry>>> ClinicalReviewAsync(SchedulingDatabase database, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Id, string ReferralId, string Initials, string Therapist, long Since, long Session)>(
            """
            select c.id, c.referral_id, coalesce(c.patient_initials, ''), t.name, c.clinical_review_since, c.clinical_review_session
            from courses c join therapists t on t.id = c.therapist_id
            where c.clinical_review_since is not null and c.clinical_reviewed_by is null and (@all or t.user_id = @user)
            order by c.clinical_review_since
            """, new { all = http.User.IsInRole(StaffTokens.ClinicalLead), user = http.User.FindFirstValue(ClaimTypes.NameIdentifier) });
        var entries = rows.Select(r => new ClinicalReviewEntry(Guid.Parse(r.Id), Guid.Parse(r.ReferralId), r.Initials, r.Therapist,
            Instant.FromUnixTimeMilliseconds(r.Since).ToDateTimeOffset(), (int)r.Session)).ToList();
        await http.CoursesReadAsync(database, "clinical-review.read", entries.Select(e => (e.CourseId, e.ReferralId)));
        return TypedResults.Ok(entries);
    }

    public static async Task<Results<Ok<CourseProgress>, ProblemHttpResult>> ReviewedAsync(string id, SchedulingDatabase database, CoursePhases phases, HttpContext http)
    {
        if (!Guid.TryParse(id, out _) || !await MaySeeAsync(database, id, http)) return Problems.NotFound("No such course");
        var role = ClinicalRole(http);
        var reviewer = $"{role}:{http.Caller(role)}";
        var refusal = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(
                "update courses set clinical_reviewed_by = @lead where id = @id and clinical_review_since is not null and clinical_reviewed_by is null",
                new { id, lead = reviewer }, transaction);
            if (changed == 0)
                return await connection.ExecuteScalarAsync<long>("select count(*) from courses where id = @id", new { id }, transaction) == 0
                    ? Problems.NotFound("No such course")
                    : Problems.Conflict("The course is not waiting for clinical review");
            await http.AuditCourseAsync(connection, transaction, database, id, "clinical-review.cleared", new FieldChange("clinical review", "waiting", "reviewed"));
            return null;
        });
        if (refusal is not null) return refusal;
        return TypedResults.Ok((await CourseProgress.LoadAsync(database, phases, id))!);
    }

    /// <summary>The role a score or a review is recorded under: a clinical lead's, else the patient's therapist's.</summary>
    private static string ClinicalRole(HttpContext http) =>
        http.User.IsInRole(StaffTokens.ClinicalLead) ? StaffTokens.ClinicalLead : StaffTokens.Therapist;

    private static async Task<bool> MaySeeAsync(SchedulingDatabase database, string id, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        return await Therapists.OwnPatients.MaySeeCourseAsync(connection, http, id);
    }
}
