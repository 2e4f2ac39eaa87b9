using Dit.Platform.Data;
using Dit.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace Dit.Platform.Tests;

/// <summary>A service database whose migrations are this test assembly's <c>Migrations/*.sql</c>.</summary>
public sealed class NotesDatabase(Microsoft.Extensions.Configuration.IConfiguration configuration)
    : ServiceDatabase(configuration, "Notes", "unused.db")
{
    public static async Task<NotesDatabase> CreateAsync(string provider, bool migrate = true)
    {
        var database = new NotesDatabase(await TestDatabases.ConfigurationAsync("Notes", provider));
        if (migrate) await database.MigratorFor().MigrateAsync();
        return database;
    }

    public Migrator<NotesDatabase> MigratorFor() =>
        new(this, SystemClock.Instance, NullLogger<Migrator<NotesDatabase>>.Instance);
}
