namespace Dit.Scheduling.Booking;

/// <summary>
/// What scheduling knows of withdrawn referrals. Whatever arrives first — the withdrawal or the booking, waitlisting or
/// review — each takes the referral's lock (<see cref="Dit.Platform.Data.Dialect.LockAsync"/>) before it looks, so the later one sees the earlier.
/// </summary>
public static class Withdrawals
{
    public static async Task<bool> IsWithdrawnAsync(DbConnection connection, DbTransaction transaction, Guid referralId) =>
        await connection.ExecuteScalarAsync<long>("select count(*) from withdrawn_referrals where referral_id = @id",
            new { id = referralId.ToString() }, transaction) > 0;

    /// <returns>False when the withdrawal was known already.</returns>
    public static async Task<bool> RememberAsync(DbConnection connection, DbTransaction transaction, Guid referralId, Instant at) =>
        await connection.ExecuteAsync("insert into withdrawn_referrals (referral_id, withdrawn_at) values (@id, @at) on conflict do nothing",
            new { id = referralId.ToString(), at = at.ToUnixTimeMilliseconds() }, transaction) == 1;
}
