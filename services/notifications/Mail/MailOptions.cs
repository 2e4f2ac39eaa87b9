namespace Dit.Notifications.Mail;

/// <summary>
/// Where mail goes (configuration section <c>Notifications:Mail</c>): an SMTP server when
/// <c>Smtp:Host</c> is set, else <c>.eml</c> files in <c>PickupFolder</c>. <c>Senders</c> mails are sent at once
/// (on PostgreSQL; SQLite sends one at a time).
/// </summary>
public sealed record MailOptions(string? SmtpHost, int SmtpPort, bool SmtpSsl, string? SmtpUser, string? SmtpPassword, string PickupFolder,
    int Senders = 4)
{
    public static MailOptions From(IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection("Notifications:Mail");
        var pickup = section["PickupFolder"] ?? "data/pickup";
        return new MailOptions(
            string.IsNullOrWhiteSpace(section["Smtp:Host"]) ? null : section["Smtp:Host"],
            int.TryParse(section["Smtp:Port"], out var port) ? port : 25,
            bool.TryParse(section["Smtp:Ssl"], out var ssl) && ssl,
            section["Smtp:User"],
            section["Smtp:Password"],
            Path.GetFullPath(pickup, contentRoot),
            int.TryParse(section["Senders"], out var senders) && senders > 0 ? senders : 4);
    }
}
