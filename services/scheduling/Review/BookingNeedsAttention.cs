using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Review;

/// <summary>
/// A referral booking could not take, for a reason that will not pass (<see cref="Faults"/>): it leaves the waitlist (if
/// it was there) for the coordinators' review list with the reason, and referrals hears of it (<see cref="ReferralNeedsAttention"/>), in a transaction of its
/// own — the booking's rolled back. The message itself still goes to its error queue, so an operator sees it too.
/// </summary>
public static class BookingNeedsAttention
{
    public static Task<bool> RecordAsync(SchedulingDatabase database, ReferralForBooking referral, string reason, Instant now) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await database.Dialect.LockAsync(connection, transaction, referral.ReferralId);
            if (await Withdrawals.IsWithdrawnAsync(connection, transaction, referral.ReferralId)) return false;
            await connection.ExecuteAsync(
                """
                insert into reviews (referral_id, referrer_id, referrer_reference, earliest_start, received_at, attention)
                values (@referralId, @referrerId, @reference, @earliest, @receivedAt, @reason)
                on conflict (referral_id) do update set attention = excluded.attention, decision = null, reason = null, decided_by = null, decided_at = null
                """,
                new
                {
                    referralId = referral.ReferralId.ToString(), referrerId = referral.ReferrerId, reference = referral.ReferrerReference ?? "",
                    earliest = referral.EarliestStart.ToString("yyyy-MM-dd"), reason,
                    receivedAt = Instant.FromDateTimeOffset(referral.OccurredAt).ToUnixTimeMilliseconds(),
                }, transaction);
            await connection.ExecuteAsync("delete from waitlist where referral_id = @id", new { id = referral.ReferralId.ToString() }, transaction);
            await Outbox.AddAsync(connection, transaction, new ReferralNeedsAttention(referral.ReferralId, reason, now.ToDateTimeOffset()), now);
            return true;
        });
}
