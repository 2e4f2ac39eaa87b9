namespace Dit.Contracts;

/// <summary>
/// The patient's mail server refused a mail for good (after the configured number of permanent rejections): the
/// patient did not get it, and a coordinator should reach them another way. <paramref name="Reason"/> is the server's
/// answer with any address in it masked.
/// </summary>
public sealed record MailUndeliverable(Guid ReferralId, string Kind, string Reason, int Rejections, DateTimeOffset OccurredAt);
