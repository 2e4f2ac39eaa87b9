namespace Dit.Scheduling.Coordinators;

public sealed record CourseView(
    Guid Id, Guid ReferralId, Guid TherapistId, string Therapist, string TimeZone, string Weekday, string Time,
    string Status, int Sequence, bool FlaggedForReview, string PatientInitials, IReadOnlyList<AppointmentView> Sessions,
    IReadOnlyList<string> SkippedWeeks)
{
    public static async Task<CourseView?> LoadAsync(SchedulingDatabase database, string courseId)
    {
        await using var connection = await database.OpenAsync();
        var course = await connection.QuerySingleOrDefaultAsync<CourseRow>(
            """
            select c.id as Id, c.referral_id as ReferralId, c.therapist_id as TherapistId, t.name as TherapistName,
                   c.time_zone as TimeZone, c.weekday as Weekday, c.local_time as LocalTime, c.status as Status, c.sequence as Sequence,
                   c.flagged_for_review as Flagged, coalesce(c.patient_initials, '') as Initials, c.skipped_weeks as SkippedWeeks
            from courses c join therapists t on t.id = c.therapist_id where c.id = @courseId
            """, new { courseId });
        if (course is null) return null;
        var sessions = await connection.QueryAsync<(string Id, long Number, string LocalStart, long StartUtc, string Status, string? Attendance, string? CancelledBy,
            long Scored)>(
            """
            select a.id, a.session_number, a.local_start, a.start_utc, a.status, a.attendance, a.cancelled_by,
                   (select count(*) from session_scores s where s.course_id = a.course_id and s.session_number = a.session_number)
            from appointments a where a.course_id = @courseId order by a.session_number
            """, new { courseId });
        return new CourseView(
            Guid.Parse(course.Id), Guid.Parse(course.ReferralId), Guid.Parse(course.TherapistId), course.TherapistName, course.TimeZone,
            ((IsoDayOfWeek)course.Weekday).ToString(), course.LocalTime, course.Status, (int)course.Sequence, course.Flagged != 0, course.Initials,
            sessions.Select(s => new AppointmentView(Guid.Parse(s.Id), (int)s.Number, s.LocalStart,
                Instant.FromUnixTimeMilliseconds(s.StartUtc).ToDateTimeOffset(), s.Status, s.Attendance, s.CancelledBy, s.Scored > 0)).ToList(),
            course.SkippedWeeks?.Split(',') ?? []);
    }

    private sealed record CourseRow(string Id, string ReferralId, string TherapistId, string TherapistName, string TimeZone,
        long Weekday, string LocalTime, string Status, long Sequence, long Flagged, string Initials, string? SkippedWeeks);
}
