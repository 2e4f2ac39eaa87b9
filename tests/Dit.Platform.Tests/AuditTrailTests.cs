using Dapper;
using Dit.Platform.Audit;
using Dit.Platform.Data;
using NodaTime;

namespace Dit.Platform.Tests;

/// <summary>The audit trail on both databases: chained rows, what <c>verify</c> finds, what the database refuses, pruning.</summary>
public sealed class AuditTrailTests
{
    private static readonly Auditor Coordinator = new("coordinator", "user-1", "Casey Coordinator");

    private static async Task AppendAsync(NotesDatabase database, int count, Instant at, string referral = "referral-1") =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            for (var i = 0; i < count; i++)
                await AuditTrail.AppendAsync(connection, transaction, database.Dialect, Coordinator,
                    new AuditEntry("session.moved", referral, "course-1", [new FieldChange("start", "2027-03-02T17:00", "2027-03-03T18:00")]), at);
            return true;
        });

    /// <summary>What the owner of the table could do by switching its triggers off: the trail must still show it.</summary>
    private static async Task AsTableOwnerAsync(NotesDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        if (database.Dialect is PostgresDialect)
            await connection.ExecuteAsync($"alter table audit_trail disable trigger user; {sql}; alter table audit_trail enable trigger user;");
        else
            await connection.ExecuteAsync($"drop trigger audit_trail_no_update; drop trigger audit_trail_no_delete; {sql};");
    }

    private static async Task<IReadOnlyList<string>> VerifyAsync(NotesDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await AuditTrail.VerifyAsync(connection);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Verify_passes_an_untouched_trail_and_finds_an_edited_a_removed_and_a_reordered_row(string provider)
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        foreach (var (tamper, expected) in new (string, string)[]
                 {
                     ("update audit_trail set actor_id = 'someone-else' where seq = 3", "Row 3 was changed after it was written (its hash is not its own)."),
                     ("delete from audit_trail where seq = 3", "Rows 3 to 3 are missing."),
                     ("update audit_trail set seq = 100 where seq = 2; update audit_trail set seq = 2 where seq = 4; update audit_trail set seq = 4 where seq = 100",
                         "Row 2 does not follow row 1 (reordered, or a row between them removed)."),
                     ("delete from audit_trail where seq = 1", "Rows before 2 are missing."),
                 })
        {
            var database = await NotesDatabase.CreateAsync(provider);
            await AppendAsync(database, 5, now);
            Assert.Empty(await VerifyAsync(database));

            await AsTableOwnerAsync(database, tamper);

            Assert.Contains(expected, await VerifyAsync(database));
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_service_cannot_update_or_delete_a_row_and_nothing_changes(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        await AppendAsync(database, 2, SystemClock.Instance.GetCurrentInstant());
        await using var connection = await database.OpenAsync();

        foreach (var sql in new[] { "update audit_trail set actor_id = 'x' where seq = 1", "delete from audit_trail where seq = 2" })
        {
            var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(sql));
            Assert.Contains("append-only", refused.Message);
        }
        if (database.Dialect is PostgresDialect)
            Assert.Contains("append-only", (await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("truncate audit_trail"))).Message);
        Assert.Equal(["user-1", "user-1"], await connection.QueryAsync<string>("select actor_id from audit_trail order by seq"));
        Assert.Empty(await VerifyAsync(database));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Appends_from_many_requests_at_once_stay_one_unbroken_chain(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        var now = SystemClock.Instance.GetCurrentInstant();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => AppendAsync(database, 3, now, $"referral-{i}"))));

        await using var connection = await database.OpenAsync();
        Assert.Equal(60, await connection.ExecuteScalarAsync<long>("select count(*) from audit_trail"));
        Assert.Equal(60, await connection.ExecuteScalarAsync<long>("select max(seq) from audit_trail"));
        Assert.Empty(await AuditTrail.VerifyAsync(connection));
        Assert.Equal(3, (await AuditTrail.ForReferralAsync(connection, "referral-7")).Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Pruning_deletes_only_rows_past_retention_and_the_trail_still_verifies(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider);
        var now = SystemClock.Instance.GetCurrentInstant();
        // Twenty years back: far enough that the databases' own eight-year floor (their real clock) allows it under faketime too.
        await AppendAsync(database, 3, now - Duration.FromDays(20 * 366));
        await AppendAsync(database, 2, now);

        Assert.Equal(3, await AuditTrail.PruneAsync(database, now - Duration.FromDays(8 * 366), now));

        await using var connection = await database.OpenAsync();
        Assert.Equal([4L, 5L, 6L], await connection.QueryAsync<long>("select seq from audit_trail order by seq"));
        Assert.Equal(AuditTrail.PrunedAction, await connection.ExecuteScalarAsync<string>("select action from audit_trail where seq = 6"));
        Assert.Empty(await AuditTrail.VerifyAsync(connection));
        // A young row is not deleted by asking: the database refuses.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => AuditTrail.PruneAsync(database, now + Duration.FromDays(1), now));
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("select count(*) from audit_trail"));
    }
}
