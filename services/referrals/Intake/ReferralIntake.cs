using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dit.Referrals.Status;

namespace Dit.Referrals.Intake;

/// <summary>
/// Stores a validated referral once per referrer and reference, with its first message in the
/// same transaction: <see cref="ReferralAccepted"/> and <see cref="ReferralForBooking"/>, or <see cref="ReferralNeedsReview"/> when the
/// referral reports current risk. Shared by the HTTP API and the bus intake.
/// </summary>
public sealed class ReferralIntake(ReferralsDatabase database, IClock clock, ILogger<ReferralIntake> logger)
{
    /// <summary>
    /// Records the referral, once per reference, and on the audit trail as made by <paramref name="who"/> (the same
    /// transaction); one that came by BaRS with somewhere to send its news (<paramref name="news"/>) has its first news queued.
    /// </summary>
    public async Task<IntakeResult> SubmitAsync(string referrerId, ValidReferral referral, Auditor who, CancellationToken cancellationToken,
        Fhir.BarsNews.Reply? news = null)
    {
        var json = JsonSerializer.Serialize(referral, MessageJson.Options);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var id = Guid.NewGuid();
        var status = referral.Risk.CurrentRisk ? ReferralStatus.NeedsReview : ReferralStatus.Received;
        var now = clock.GetCurrentInstant();

        var created = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync(
                """
                insert into referrals (id, referrer_id, referrer_reference, request_hash, request_json, status, created_at, updated_at)
                values (@id, @referrerId, @reference, @hash, @json, @status, @now, @now)
                on conflict (referrer_id, referrer_reference) do nothing
                """,
                new { id = id.ToString(), referrerId, reference = referral.ReferrerReference, hash, json, status, now = now.ToUnixTimeMilliseconds() },
                transaction);
            if (inserted == 0) return false;

            await ReferralHistory.AddAsync(connection, transaction, id, status, null, now);
            if (news is not null)
            {
                await Fhir.BarsNews.RememberAsync(connection, transaction, id, news);
                await Fhir.BarsNews.QueueAsync(connection, transaction, id, referral.Risk.CurrentRisk ? "Waiting for a clinician's review of the reported risk" : "Accepted", now);
            }
            await AuditTrail.AppendAsync(connection, transaction, database.Dialect, who,
                new AuditEntry("referral.submitted", id.ToString(), null, [new FieldChange("status", null, status)]), now);
            if (referral.Risk.CurrentRisk)
                await Outbox.AddAsync(connection, transaction, new ReferralNeedsReview(id, referrerId, referral.ReferrerReference,
                    referral.Risk.Notes, referral.PresentingProblem, referral.EarliestStart, now.ToDateTimeOffset()), now);
            else
                await AddAcceptedAsync(connection, transaction, id, referrerId, referral, now);
            return true;
        }, cancellationToken);

        if (created)
        {
            logger.LogInformation("Referral {ReferralId} received for NHS number {NhsNumber}: {Status}",
                id, NhsNumber.Mask(referral.Patient.NhsNumber), status);
            return new IntakeResult(IntakeOutcome.Created, id, status);
        }

        // The reference was used before: the same referral again is a harmless retry, a different one a conflict.
        await using var reader = await database.OpenAsync(cancellationToken);
        var existing = await reader.QuerySingleAsync<(string Id, string Hash, string Status)>(
            "select id, request_hash, status from referrals where referrer_id = @referrerId and referrer_reference = @reference",
            new { referrerId, reference = referral.ReferrerReference });
        return new IntakeResult(existing.Hash == hash ? IntakeOutcome.Repeated : IntakeOutcome.Conflict, Guid.Parse(existing.Id), existing.Status);
    }

    /// <summary>An accepted referral's two messages: the contact details for notifications, the times for scheduling.</summary>
    public static async Task AddAcceptedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        Guid id, string referrerId, ValidReferral referral, Instant now)
    {
        var occurredAt = now.ToDateTimeOffset();
        await Outbox.AddAsync(connection, transaction,
            new ReferralAccepted(id, referrerId, PatientContactDetails.Of(referral.Patient), referral.Consent, occurredAt), now);
        await Outbox.AddAsync(connection, transaction, new ReferralForBooking(id, referrerId, referral.Availability, referral.EarliestStart,
            referral.TimeZone, ReferralForBooking.Initials(referral.Patient), occurredAt) { ReferrerReference = referral.ReferrerReference }, now);
    }
}
