namespace Dit.Notifications.Contacts;

/// <summary>Keeps the patient's name, contact details and consent for the invites and reminders to come; sends an invite that waited for them.</summary>
public sealed class RecordPatientContact(NotificationsDatabase database, Invites.CourseInvitations invitations, IClock clock) : IConsumer<ReferralAccepted>
{
    public Task Consume(ConsumeContext<ReferralAccepted> context) =>
        database.ConsumeOnceAsync(context, nameof(RecordPatientContact), clock, async (connection, transaction) =>
        {
            var referral = context.Message;
            await database.Dialect.LockAsync(connection, transaction, referral.ReferralId);   // as CourseInvitations does
            await connection.ExecuteAsync(
                """
                insert into patients (referral_id, given_name, family_name, email, mobile, consent_email, consent_sms, consent_questionnaires, created_at)
                values (@id, @givenName, @familyName, @email, @mobile, @consentEmail, @consentSms, @consentQuestionnaires, @now)
                on conflict do nothing
                """,
                new
                {
                    id = referral.ReferralId.ToString(), givenName = referral.Patient.GivenName,
                    familyName = referral.Patient.FamilyName, email = referral.Patient.Email, mobile = referral.Patient.Mobile,
                    consentEmail = referral.Consent.Email ? 1 : 0, consentSms = referral.Consent.Sms ? 1 : 0,
                    consentQuestionnaires = referral.Consent.Questionnaires ? 1 : 0,
                    now = clock.GetCurrentInstant().ToUnixTimeMilliseconds(),
                }, transaction);
            // An address that slipped past the door (a message from elsewhere on the bus) and that the mail or calendar
            // libraries would refuse, or read as another address, is never written to: no mail is built for it, so none
            // can stall the queue, and the coordinators see at once that this patient must be reached another way.
            if (referral.Consent.Email && referral.Patient.Email is { } email && ContactAddresses.EmailProblem(email) is { } problem)
            {
                var now = clock.GetCurrentInstant();
                await Messages.MessageLog.RecordAsync(connection, transaction, referral.ReferralId.ToString(), "invite", "email", email,
                    $"undeliverable: {problem}", now);
                await Outbox.AddAsync(connection, transaction,
                    new MailUndeliverable(referral.ReferralId, "invite", $"The address cannot be used: {problem}", 0, now.ToDateTimeOffset()), now);
            }
            // A booking that arrived first waited for these details: its invite goes now.
            foreach (var (_, body) in await Invites.ParkedMessages.TakeAsync(connection, transaction, Invites.ParkedMessages.ForReferral(referral.ReferralId)))
                await invitations.InviteAsync(connection, transaction, System.Text.Json.JsonSerializer.Deserialize<CourseBooked>(body, MessageJson.Options)!);
        });
}
