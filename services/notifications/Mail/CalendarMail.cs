namespace Dit.Notifications.Mail;

/// <summary>An email with an iCalendar part, as queued for the dispatcher.</summary>
public sealed record CalendarMail(
    string ReferralId,
    string Kind,
    string To,
    string Subject,
    string TextBody,
    string HtmlBody,
    string Calendar,
    string CalendarMethod);
