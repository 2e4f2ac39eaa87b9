namespace Dit.Contracts;

/// <summary>
/// A message did not reach the patient: their mail server refused a mail for good (after the configured number of
/// permanent rejections), Notify refused a text (not a UK mobile) or reported it undelivered (permanent failure), or the
/// patient stopped the channel's messages (<paramref name="Kind"/> "stopped"). A coordinator should reach them another
/// way. <paramref name="Reason"/> is the server's or Notify's answer, with any address in it masked;
/// <paramref name="Channel"/> is email or sms.
/// </summary>
public sealed record MailUndeliverable(Guid ReferralId, string Kind, string Reason, int Rejections, DateTimeOffset OccurredAt, string Channel = "email");

/// <summary>
/// The patient stopped one channel's messages (<paramref name="Channel"/> email or sms) from the link in a message:
/// their consent to it is withdrawn in every service. Messages on the other channel, if agreed, go on.
/// </summary>
public sealed record MessagesStopped(Guid ReferralId, string Channel, DateTimeOffset OccurredAt);
