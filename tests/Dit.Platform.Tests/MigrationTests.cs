using Dapper;

namespace Dit.Platform.Tests;

public sealed class MigrationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_new_database_gets_every_migration_in_order_and_a_second_start_applies_nothing(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider, migrate: false);

        var first = await database.MigratorFor().MigrateAsync();
        var second = await database.MigratorFor().MigrateAsync();

        Assert.Equal(["0000", "0001", "0002", "9001", "9002", "9003", "9004", "9005"], first);
        Assert.Empty(second);
        await using var connection = await database.OpenAsync();
        Assert.Equal(["0000", "0001", "0002", "9001", "9002", "9003", "9004", "9005"], (await connection.QueryAsync<string>("select id from schema_migrations order by id")).ToArray());
        // 0002 ran after 0001: the column it adds is there.
        await connection.ExecuteAsync("insert into notes (id, body, author) values ('n1', 'hello', 'me')");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Several_processes_starting_at_once_apply_each_migration_once(string provider)
    {
        var database = await NotesDatabase.CreateAsync(provider, migrate: false);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => database.MigratorFor().MigrateAsync())));

        Assert.Equal(["0000", "0001", "0002", "9001", "9002", "9003", "9004", "9005"], runs.SelectMany(r => r).Order().ToArray());
    }
}
