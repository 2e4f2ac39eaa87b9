namespace Dit.Notifications.Mail;

/// <summary>
/// Where mail goes (configuration section <c>Notifications:Mail</c>): an SMTP server when
/// <c>Smtp:Host</c> is set, else <c>.eml</c> files in <c>PickupFolder</c>. <c>Senders</c> mails are sent at once
/// (on PostgreSQL; SQLite sends one at a time). A mail being sent is claimed for <c>ClaimSeconds</c>: a process that
/// stops mid-send leaves it to be sent again after that (with the same Message-ID). A mail the server rejects for good
/// (5xx) <c>RejectionsBeforeUndeliverable</c> times is marked undeliverable.
/// </summary>
public sealed record MailOptions(string? SmtpHost, int SmtpPort, bool SmtpSsl, string? SmtpUser, string? SmtpPassword, string PickupFolder,
    int Senders = 4, int ClaimSeconds = 120, int RejectionsBeforeUndeliverable = 3)
{
    public static MailOptions From(IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection("Notifications:Mail");
        var pickup = section["PickupFolder"] ?? "data/pickup";
        return new MailOptions(
            string.IsNullOrWhiteSpace(section["Smtp:Host"]) ? null : section["Smtp:Host"],
            Dit.Platform.Settings.Int(configuration, "Notifications:Mail:Smtp:Port", 25, 1, 65_535),
            Dit.Platform.Settings.Bool(configuration, "Notifications:Mail:Smtp:Ssl", false),
            section["Smtp:User"],
            section["Smtp:Password"],
            Path.GetFullPath(pickup, contentRoot),
            Dit.Platform.Settings.Int(configuration, "Notifications:Mail:Senders", 4, 1, 64),
            Dit.Platform.Settings.Int(configuration, "Notifications:Mail:ClaimSeconds", 120, 35, 3600),
            Dit.Platform.Settings.Int(configuration, "Notifications:Mail:RejectionsBeforeUndeliverable", 3, 1, 20));
    }
}
