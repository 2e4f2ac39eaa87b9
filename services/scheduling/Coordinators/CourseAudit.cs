namespace Dit.Scheduling.Coordinators;

/// <summary>Scheduling's rows on the audit trail: a course, and the referral it was booked for, read or changed by the caller.</summary>
public static class CourseAudit
{
    /// <summary>Records <paramref name="action"/> on the course (a change, or a read that needs the course's referral) inside <paramref name="transaction"/>.</summary>
    public static async Task AuditCourseAsync(this HttpContext http, DbConnection connection, DbTransaction transaction, SchedulingDatabase database,
        string courseId, string action, params FieldChange[] changes)
    {
        var referralId = await connection.QuerySingleOrDefaultAsync<string>("select referral_id from courses where id = @courseId", new { courseId }, transaction);
        await http.AuditAsync(connection, transaction, database, new AuditEntry(action, referralId, courseId, changes));
    }

    /// <summary>Records that the caller was shown these courses (one row each).</summary>
    public static Task CoursesReadAsync(this HttpContext http, SchedulingDatabase database, string action, IEnumerable<(Guid Course, Guid Referral)> courses) =>
        http.AuditReadsAsync(database, courses.Distinct().Select(c => new AuditEntry(action, c.Referral.ToString(), c.Course.ToString())));

    public static Task CourseReadAsync(this HttpContext http, SchedulingDatabase database, string action, Guid course, Guid referral) =>
        http.CoursesReadAsync(database, action, [(course, referral)]);
}
