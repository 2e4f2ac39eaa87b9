using System.Data.Common;
using Dapper;
using Dit.Platform.Data;
using NodaTime;

namespace Dit.Scheduling.Booking;

/// <summary>
/// What scheduling knows of withdrawn referrals. Whatever arrives first — the withdrawal or the booking, waitlisting or
/// review — each takes the referral's lock (<see cref="LockAsync"/>) before it looks, so the later one sees the earlier.
/// </summary>
public static class Withdrawals
{
    /// <summary>Serialises everything done to one referral until the transaction ends (PostgreSQL; SQLite has one writer).</summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction transaction, Dialect dialect, Guid referralId)
    {
        if (dialect.TransactionLockSql(LockKey(referralId), exclusive: true) is { Length: > 0 } sql)
            await connection.ExecuteAsync(sql, transaction: transaction);
    }

    public static async Task<bool> IsWithdrawnAsync(DbConnection connection, DbTransaction transaction, Guid referralId) =>
        await connection.ExecuteScalarAsync<long>("select count(*) from withdrawn_referrals where referral_id = @id",
            new { id = referralId.ToString() }, transaction) > 0;

    /// <returns>False when the withdrawal was known already.</returns>
    public static async Task<bool> RememberAsync(DbConnection connection, DbTransaction transaction, Guid referralId, Instant at) =>
        await connection.ExecuteAsync("insert into withdrawn_referrals (referral_id, withdrawn_at) values (@id, @at) on conflict do nothing",
            new { id = referralId.ToString(), at = at.ToUnixTimeMilliseconds() }, transaction) == 1;

    /// <summary>A lock key per referral, clear of the service's fixed keys (which are small numbers).</summary>
    private static long LockKey(Guid referralId) => BitConverter.ToInt64(referralId.ToByteArray(), 0) | long.MinValue;
}
