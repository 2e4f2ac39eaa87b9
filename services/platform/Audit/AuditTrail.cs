using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Dit.Platform.Data;
using NodaTime;

namespace Dit.Platform.Audit;

/// <summary>
/// A service's audit trail (<c>audit_trail</c>, migration 9004): one row per read or change of a patient's record, written
/// in the transaction of the change it records. Rows are numbered 1, 2, 3, … and each carries the SHA-256 of the row
/// before it and of itself, so that <see cref="VerifyAsync"/> finds a row edited, removed or put out of order. Appends
/// are one at a time (an advisory lock on PostgreSQL; SQLite has one writer anyway).
/// </summary>
public static class AuditTrail
{
    private const string Columns =
        "seq, at, actor_role as ActorRole, actor_id as ActorId, actor_name as ActorName, on_behalf_of as OnBehalfOf, " +
        "referral_id as ReferralId, course_id as CourseId, action, changes, trace_id as TraceId, prev_hash as PrevHash, hash";

    /// <summary>Adds <paramref name="entry"/> by <paramref name="who"/> at <paramref name="at"/> inside <paramref name="transaction"/>.</summary>
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, Dialect dialect, Auditor who, AuditEntry entry, Instant at)
    {
        await LockAsync(connection, transaction, dialect);
        var last = await connection.QuerySingleOrDefaultAsync<(long Seq, string Hash)?>(
            "select seq, hash from audit_trail order by seq desc limit 1", transaction: transaction);
        var changes = entry.Changes is { Count: > 0 } ? JsonSerializer.Serialize(entry.Changes, JsonSerializerOptions.Web) : null;
        var unsigned = new AuditRow((last?.Seq ?? 0) + 1, at.ToUnixTimeMilliseconds(), who.Role, who.Id, who.Name, who.OnBehalfOf,
            entry.ReferralId, entry.CourseId, entry.Action, changes, Activity.Current?.TraceId.ToHexString(), last?.Hash ?? "", "");
        var row = unsigned with { Hash = HashOf(unsigned) };
        await connection.ExecuteAsync(
            """
            insert into audit_trail (seq, at, actor_role, actor_id, actor_name, on_behalf_of, referral_id, course_id, action, changes, trace_id, prev_hash, hash)
            values (@Seq, @At, @ActorRole, @ActorId, @ActorName, @OnBehalfOf, @ReferralId, @CourseId, @Action, @Changes, @TraceId, @PrevHash, @Hash)
            """, row, transaction);
    }

    /// <summary>Every row about <paramref name="referralId"/> (and the courses booked for it), oldest first.</summary>
    public static async Task<IReadOnlyList<AuditRow>> ForReferralAsync(DbConnection connection, string referralId) =>
        (await connection.QueryAsync<AuditRow>($"select {Columns} from audit_trail where referral_id = @referralId order by seq", new { referralId })).ToList();

    /// <summary>
    /// Reads the whole trail in order and says what is wrong with it: a row whose hash is not its own (edited), a number
    /// missing (removed), a row that does not follow the one before (reordered or removed). Rows deleted at the end of the
    /// retention period are accounted for by the <c>audit.pruned</c> row that deleting them appended.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(DbConnection connection)
    {
        var problems = new List<string>();
        AuditRow? first = null, previous = null;
        long? keptFrom = null;
        await foreach (var row in connection.QueryUnbufferedAsync<AuditRow>($"select {Columns} from audit_trail order by seq"))
        {
            first ??= row;
            if (HashOf(row with { Hash = "" }) != row.Hash) problems.Add($"Row {row.Seq} was changed after it was written (its hash is not its own).");
            if (previous is not null && row.Seq != previous.Seq + 1) problems.Add($"Rows {previous.Seq + 1} to {row.Seq - 1} are missing.");
            if (previous is not null && row.PrevHash != previous.Hash)
                problems.Add($"Row {row.Seq} does not follow row {previous.Seq} (reordered, or a row between them removed).");
            if (row.Action == PrunedAction && row.Changes is { } pruned)
                keptFrom = long.Parse(JsonSerializer.Deserialize<FieldChange[]>(pruned, JsonSerializerOptions.Web)![0].After!);
            previous = row;
        }
        // Pruning removes rows 1 … n-1 and appends a row saying so: only then may the trail start after row 1.
        if (first is not null && first.Seq != 1 && first.Seq != keptFrom) problems.Insert(0, $"Rows before {first.Seq} are missing.");
        return problems;
    }

    public const string PrunedAction = "audit.pruned";

    /// <summary>
    /// Deletes rows older than <paramref name="cutoff"/> and appends an <c>audit.pruned</c> row naming the first row kept,
    /// in one transaction. The databases refuse to delete rows younger than 8 years (migration 9005).
    /// </summary>
    public static async Task<int> PruneAsync(ServiceDatabase database, Instant cutoff, Instant now)
    {
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAsync(connection, transaction, database.Dialect);
            var firstKept = await connection.ExecuteScalarAsync<long?>(
                "select min(seq) from audit_trail where at >= @cutoff", new { cutoff = cutoff.ToUnixTimeMilliseconds() }, transaction);
            var deleted = await connection.ExecuteAsync("delete from audit_trail where at < @cutoff", new { cutoff = cutoff.ToUnixTimeMilliseconds() }, transaction);
            if (deleted == 0) return 0;
            var nextSeq = firstKept ?? 1;   // nothing kept: the pruning row starts the trail again at 1
            await AppendAsync(connection, transaction, database.Dialect, new Auditor("system", "retention", "Retention of the audit trail"),
                new AuditEntry(PrunedAction, null, null, [new FieldChange("keptFromRow", null, nextSeq.ToString(System.Globalization.CultureInfo.InvariantCulture))]), now);
            return deleted;
        });
    }

    /// <summary>One writer of the trail at a time, to the end of the transaction (PostgreSQL; SQLite has one writer anyway).</summary>
    private static async Task LockAsync(DbConnection connection, DbTransaction transaction, Dialect dialect)
    {
        if (dialect.TransactionLockSql(AdvisoryLocks.AuditTrail, exclusive: true) is { Length: > 0 } lockSql)
            await connection.ExecuteAsync(lockSql, transaction: transaction);
    }

    private static string HashOf(AuditRow row)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            row.PrevHash, row.Seq, row.At, row.ActorRole, row.ActorId, row.ActorName, row.OnBehalfOf,
            row.ReferralId, row.CourseId, row.Action, row.Changes, row.TraceId,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
