using Npgsql;
using Testcontainers.PostgreSql;

namespace Dit.Testing;

/// <summary>
/// A throwaway PostgreSQL server for the test run: the server named by <c>DIT_POSTGRES</c>; else a container of the
/// image docker-compose.yml uses, through Testcontainers, when a Docker engine runs (<see cref="DockerEngine"/>); else
/// a cluster of the machine's binaries on a free port. Each test asks for a database of its own.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Instance = new(StartAsync);

    private readonly string _adminConnectionString;

    private PostgresServer(string adminConnectionString) => _adminConnectionString = adminConnectionString;

    public static Task<PostgresServer> SharedAsync() => Instance.Value;

    /// <summary>The superuser connection (for tools such as pgbench).</summary>
    public NpgsqlConnectionStringBuilder Admin => new(_adminConnectionString);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing its connections (a database outage).</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database \"{name}\" with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Makes the database refuse new connections and ends the ones it has (an outage of that one database), or
    /// lets it accept them again.
    /// </summary>
    public async Task SetAcceptingConnectionsAsync(string connectionString, bool accepting)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var alter = new NpgsqlCommand($"alter database \"{name}\" with allow_connections {accepting}", connection);
        await alter.ExecuteNonQueryAsync();
        if (accepting) return;
        await using var terminate = new NpgsqlCommand("select pg_terminate_backend(pid) from pg_stat_activity where datname = @name", connection);
        terminate.Parameters.AddWithValue("name", name);
        await terminate.ExecuteNonQueryAsync();
    }

    /// <summary>The image the fixtures and docker-compose.yml run PostgreSQL from.</summary>
    public const string Image = "postgres:15";

    /// <summary>Throwaway data: no fsync; room for every test's pools; statement statistics for the load driver.</summary>
    private static readonly string[] ServerOptions =
        ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300", "-c", "shared_preload_libraries=pg_stat_statements"];

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("DIT_POSTGRES") is { Length: > 0 } given)
            return new PostgresServer(given);
        if (await DockerEngine.InUseAsync())
        {
            var container = await DockerEngine.StartAsync("postgres", new PostgreSqlBuilder(Image).WithCommand(ServerOptions));
            return new PostgresServer(container.GetConnectionString());
        }

        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL binaries under /usr/lib/postgresql: run the README's test script, which installs them.");
        var root = Path.Combine(Path.GetTempPath(), $"dit-pg-{Guid.NewGuid():N}");
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        await Shell.ChownAsync("postgres", root);

        var initdb = Shell.As("postgres", Path.Combine(bin, "initdb"), "-A", "trust", "-U", "postgres", "-D", data, "--no-sync", "-E", "UTF8");
        await Shell.RunAsync(initdb.File, initdb.Arguments);
        var port = FreePort.Next();
        var start = Shell.As("postgres", Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(root, "log"), "-w", "start",
            "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 {string.Join(' ', ServerOptions)}");
        await Shell.RunAsync(start.File, start.Arguments);
        var stop = Shell.As("postgres", Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop");
        Shell.WhenTestsEnd($"{stop.File} {string.Join(' ', stop.Arguments)} >/dev/null 2>&1; rm -rf '{root}'");

        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
    }
}
