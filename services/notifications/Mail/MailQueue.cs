namespace Dit.Notifications.Mail;

public static class MailQueue
{
    /// <summary>Queues a mail in the caller's transaction; the <see cref="MailDispatcher"/> sends it.</summary>
    public static Task AddAsync(DbConnection connection, DbTransaction transaction, CalendarMail mail, Instant now) =>
        connection.ExecuteAsync(
            """
            insert into outgoing_mail (id, referral_id, kind, to_address, subject, text_body, html_body, calendar, calendar_method,
                                       created_at, next_attempt_at, attempts, trace_parent)
            values (@id, @ReferralId, @Kind, @To, @Subject, @TextBody, @HtmlBody, @Calendar, @CalendarMethod, @now, @now, 0, @trace)
            """,
            new
            {
                id = Guid.NewGuid().ToString(), mail.ReferralId, mail.Kind, mail.To, mail.Subject, mail.TextBody, mail.HtmlBody,
                mail.Calendar, mail.CalendarMethod, now = now.ToUnixTimeMilliseconds(), trace = Dit.Platform.Telemetry.CurrentTraceParent,
            }, transaction);
}
