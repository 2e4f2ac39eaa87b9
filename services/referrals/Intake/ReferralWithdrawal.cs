using Dit.Referrals.Status;

namespace Dit.Referrals.Intake;

/// <summary>A referrer withdraws a referral: it is cancelled here and scheduling cancels any course.</summary>
public sealed class ReferralWithdrawal(ReferralsDatabase database, IClock clock)
{
    /// <returns>False when the referrer has no such referral. Withdrawing twice, or after the course completed, changes nothing.</returns>
    public Task<bool> WithdrawAsync(string referrerId, Guid referralId, string? reason, Auditor who, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>(
                "select status from referrals where id = @id and referrer_id = @referrerId",
                new { id = referralId.ToString(), referrerId }, transaction);
            if (status is null) return false;
            // Cancelled already, or its course has run to the end: nothing is left to withdraw.
            if (status is ReferralStatus.Cancelled or ReferralStatus.Completed) return true;

            var now = clock.GetCurrentInstant();
            await ReferralHistory.ChangeStatusAsync(connection, transaction, referralId, ReferralStatus.Cancelled,
                reason is null ? "Withdrawn by the referrer" : $"Withdrawn by the referrer: {reason}", null, now);
            await AuditTrail.AppendAsync(connection, transaction, database.Dialect, who, new AuditEntry("referral.withdrawn", referralId.ToString(), null,
                reason is null ? [new FieldChange("status", status, ReferralStatus.Cancelled)] : [new FieldChange("status", status, ReferralStatus.Cancelled), FieldChange.Withheld("reason")]), now);
            await Outbox.AddAsync(connection, transaction, new ReferralWithdrawn(referralId, referrerId, reason, now.ToDateTimeOffset()), now);
            return true;
        }, cancellationToken);
}
