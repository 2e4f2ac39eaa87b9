using System.Diagnostics;
using Testcontainers.RabbitMq;

namespace Dit.Testing;

/// <summary>
/// A throwaway RabbitMQ node for the test run: the broker named by <c>RABBITMQ_URL</c>; else a container of the image
/// docker-compose.yml uses, through Testcontainers, when a Docker engine runs (<see cref="DockerEngine"/>); else
/// Debian's rabbitmq-server started on free ports. Each test gets a virtual host of its own, so queues of one test
/// never meet another's.
/// </summary>
public sealed class RabbitMqServer
{
    private static readonly Lazy<Task<RabbitMqServer>> Instance = new(StartNodeAsync);

    private readonly string? _givenUrl;
    private readonly int _port;
    private readonly string _nodeName;
    private readonly Dictionary<string, string> _environment;
    private readonly RabbitMqContainer? _container;

    private RabbitMqServer(string? givenUrl, int port, string nodeName, Dictionary<string, string> environment, RabbitMqContainer? container = null)
    {
        _givenUrl = givenUrl;
        _port = port;
        _nodeName = nodeName;
        _environment = environment;
        _container = container;
    }

    /// <summary>The image the fixtures and docker-compose.yml run RabbitMQ from.</summary>
    public const string Image = "rabbitmq:3.13-management";

    public static Task<RabbitMqServer> SharedAsync() => Instance.Value;

    /// <summary>An AMQP URL for a fresh virtual host (or the given broker as it is).</summary>
    public async Task<string> CreateVirtualHostAsync(string prefix)
    {
        if (_givenUrl is not null) return _givenUrl;
        var vhost = $"{prefix}-{Guid.NewGuid():N}";
        await CtlAsync("add_vhost", vhost);
        await CtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return $"amqp://guest:guest@127.0.0.1:{_port}/{vhost}";
    }

    /// <summary>
    /// Every queue of the virtual host in <paramref name="url"/> with one figure of <c>rabbitmqctl list_queues</c>:
    /// <c>messages</c> (ready and unacknowledged) or <c>consumers</c>.
    /// </summary>
    public async Task<Dictionary<string, long>> QueuesAsync(string url, string figure = "messages")
    {
        var vhost = Uri.UnescapeDataString(new Uri(url).AbsolutePath.TrimStart('/'));
        var listing = await CtlAsync("list_queues", "-q", "--no-table-headers", "-p", vhost.Length == 0 ? "/" : vhost, "name", figure);
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2 && long.TryParse(parts[1], out _))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1]));
    }

    /// <summary>Runs <c>rabbitmqctl</c> against this node (e.g. stop_app / start_app in fault tests).</summary>
    public async Task<string> CtlAsync(params string[] arguments)
    {
        if (_givenUrl is not null) throw new InvalidOperationException("rabbitmqctl is only available for the node the tests started.");
        if (_container is not null)
        {
            var result = await _container.ExecAsync(["rabbitmqctl", .. arguments]);
            return result.ExitCode == 0 ? result.Stdout
                : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        }
        var ctl = Shell.As("rabbitmq", "/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", _nodeName, .. arguments]);
        return await Shell.RunAsync(ctl.File, ctl.Arguments, _environment);
    }

    /// <summary>A node of the test's own, for a test that stops and starts the broker.</summary>
    public static async Task<RabbitMqServer> StartNodeAsync()
    {
        if (Environment.GetEnvironmentVariable("RABBITMQ_URL") is { Length: > 0 } given)
            return new RabbitMqServer(given, 0, "", []);
        if (await DockerEngine.InUseAsync())
        {
            var container = await DockerEngine.StartAsync("rabbitmq", new RabbitMqBuilder(Image).WithUsername("guest").WithPassword("guest"));
            return new RabbitMqServer(null, container.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort), "", [], container);
        }
        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
            throw new InvalidOperationException("rabbitmq-server is not installed: run the README's test script, which installs it.");

        var root = Path.Combine(Path.GetTempPath(), $"dit-rabbit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "mnesia"));
        Directory.CreateDirectory(Path.Combine(root, "log"));
        await File.WriteAllTextAsync(Path.Combine(root, "enabled_plugins"), "[].");
        await Shell.ChownAsync("rabbitmq", root);

        var port = FreePort.Next();
        var nodeName = $"dit-test-{port}@localhost";
        var environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(),
            ["RABBITMQ_DIST_PORT"] = FreePort.Next().ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(root, "pid"),
            ["HOME"] = root,
        };
        // Foreground under runuser (Debian's wrapper and -detached lose the environment through su).
        var server = Shell.As("rabbitmq", "/usr/lib/rabbitmq/bin/rabbitmq-server");
        var process = Process.Start(Shell.Start(server.File, server.Arguments, environment))!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Shell.WhenTestsEnd($"{Shell.KillTree(process.Id)}; rm -rf '{root}'");
        var node = new RabbitMqServer(null, port, nodeName, environment);
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(90), () => { lock (output) return output.ToString(); });
        return node;
    }
}
