using System.Security.Claims;

namespace Dit.Scheduling.Therapists;

/// <summary>
/// What a therapist may see: their own therapist record, and the courses and sessions they hold (by the person's id at
/// the provider, <c>therapists.user_id</c>). A coordinator or clinical lead may see every one (their endpoints say what
/// each may do). Anything else is answered as not found, so that another therapist's patient is not even confirmed.
/// </summary>
public static class OwnPatients
{
    private static bool SeesAll(HttpContext http) =>
        http.User.IsInRole(ApiKeyAuthentication.Coordinator) || http.User.IsInRole(StaffTokens.ClinicalLead);

    private static string? Person(HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The therapist record of the signed-in person, or null.</summary>
    public static async Task<(string Id, string Name)?> TherapistOfAsync(DbConnection connection, HttpContext http)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string Name)>(
            "select id, name from therapists where user_id = @user", new { user = Person(http) });
        return row.Id is null ? null : row;
    }

    public static async Task<bool> MaySeeTherapistAsync(DbConnection connection, HttpContext http, string therapistId) =>
        SeesAll(http) || await connection.ExecuteScalarAsync<long>(
            "select count(*) from therapists where id = @therapistId and user_id = @user", new { therapistId, user = Person(http) }) > 0;

    public static async Task<bool> MaySeeCourseAsync(DbConnection connection, HttpContext http, string courseId) =>
        SeesAll(http) || await connection.ExecuteScalarAsync<long>(
            "select count(*) from courses c join therapists t on t.id = c.therapist_id where c.id = @courseId and t.user_id = @user",
            new { courseId, user = Person(http) }) > 0;

    public static async Task<bool> MaySeeAppointmentAsync(DbConnection connection, HttpContext http, string appointmentId) =>
        SeesAll(http) || await connection.ExecuteScalarAsync<long>(
            "select count(*) from appointments a join therapists t on t.id = a.therapist_id where a.id = @appointmentId and t.user_id = @user",
            new { appointmentId, user = Person(http) }) > 0;
}
