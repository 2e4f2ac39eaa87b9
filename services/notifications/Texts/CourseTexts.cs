using Dit.Notifications.Contacts;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Texts;

/// <summary>
/// The texts a course sends a patient who agreed to texts, besides reminders: booked, changed (a session or the course
/// moved, a session cancelled, the course extended or with another therapist) and cancelled. The calendar itself stays
/// in the email and the private feed, whose link the booking text carries.
/// </summary>
public static class CourseTexts
{
    private const string Day = "dddd d MMMM 'at' HH:mm";

    public static TextMessage Booked(PatientContact patient, CourseBooked booked, CalendarSeries series, string feedUrl, ClinicDetails clinic, string stopLink)
    {
        var zone = booked.TimeZone == CourseShape.ServiceZoneId ? "" : $" ({booked.TimeZone} time)";
        var fields = new Dictionary<string, string>
        {
            ["name"] = patient.GivenName,
            ["sessions"] = series.SessionsInCourse.ToString(),
            ["weekly"] = $"{booked.Weekday}s at {booked.LocalTime:HH:mm}{zone}",
            ["first_session"] = series.ActiveSessions[0].LocalStart.ToString(Day, Formats.English),
            ["therapist"] = booked.TherapistName,
            ["join_link"] = series.JoinUrl ?? "",
            ["calendar_link"] = feedUrl,
            ["clinic_phone"] = clinic.Phone,
            ["stop_link"] = stopLink,
        };
        var body = $"Dear {fields["name"]}, your Dynamic Interpersonal Therapy is booked: {fields["sessions"]} weekly sessions, {fields["weekly"]}, " +
                   $"with {fields["therapist"]}. The first is on {fields["first_session"]}." +
                   (series.JoinUrl is null ? "" : $" Join each session by video at {series.JoinUrl}") +
                   $"\nAdd them to your calendar: {feedUrl}\nTo change a session call {clinic.Phone}.\nTo stop texts: {stopLink}";
        return new TextMessage("booked", fields, body);
    }

    /// <param name="change">What changed, in our words (never a coordinator's free text).</param>
    public static TextMessage Changed(PatientContact patient, CalendarSeries series, string change, ClinicDetails clinic, string stopLink, Instant now)
    {
        var next = series.ActiveSessions.FirstOrDefault(s => s.Start > now);
        var fields = new Dictionary<string, string>
        {
            ["name"] = patient.GivenName,
            ["change"] = change,
            ["next_session"] = next is null ? "" : $"Session {next.Number}, {next.LocalStart.ToString(Day, Formats.English)}",
            ["clinic_phone"] = clinic.Phone,
            ["stop_link"] = stopLink,
        };
        var body = $"Dear {patient.GivenName},\n{change}" + (next is null ? "" : $"\nYour next session: {fields["next_session"]}.") +
                   $"\nQuestions? Call {clinic.Phone}.\nTo stop texts: {stopLink}";
        return new TextMessage("changed", fields, body);
    }

    public static TextMessage Cancelled(PatientContact patient, string change, ClinicDetails clinic, string stopLink)
    {
        var fields = new Dictionary<string, string>
        {
            ["name"] = patient.GivenName, ["change"] = change, ["clinic_phone"] = clinic.Phone, ["stop_link"] = stopLink,
        };
        return new TextMessage("cancelled", fields, $"Dear {patient.GivenName},\n{change}\nIf this is unexpected, call {clinic.Phone}.\nTo stop texts: {stopLink}");
    }
}
