using System.ComponentModel.DataAnnotations;

namespace Dit.Notifications.Mail;

/// <summary>
/// Where mail goes, section <c>Notifications:Mail</c>: an SMTP server when <c>Smtp:Host</c> is set, else <c>.eml</c> files
/// in <c>PickupFolder</c> (under the content root). <c>Senders</c> mails are sent at once (on PostgreSQL; SQLite sends one
/// at a time). A mail being sent is claimed for <c>ClaimSeconds</c>: a process that stops mid-send leaves it to be sent
/// again after that (with the same Message-ID). A mail the server rejects for good (5xx)
/// <c>RejectionsBeforeUndeliverable</c> times is marked undeliverable.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Notifications:Mail";

    public SmtpPart Smtp { get; set; } = new();

    public string PickupFolder { get; set; } = "data/pickup";

    [Range(1, 64)]
    public int Senders { get; set; } = 4;

    [Range(35, 3600)]
    public int ClaimSeconds { get; set; } = 120;

    [Range(1, 20)]
    public int RejectionsBeforeUndeliverable { get; set; } = 3;

    public string? SmtpHost => string.IsNullOrWhiteSpace(Smtp.Host) ? null : Smtp.Host;

    public sealed class SmtpPart
    {
        public string? Host { get; set; }

        [Range(1, 65_535)]
        public int Port { get; set; } = 25;

        public bool Ssl { get; set; }

        public string? User { get; set; }

        public string? Password { get; set; }
    }
}
