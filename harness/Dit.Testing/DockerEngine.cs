using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;

namespace Dit.Testing;

/// <summary>
/// The Docker engine the fixtures start RabbitMQ and PostgreSQL in (through Testcontainers), when one answers on
/// /var/run/docker.sock and <c>DIT_TEST_SERVERS</c> is not <c>local</c>. Containers join a bridge network of this
/// test process's own, publish their ports on 127.0.0.1 only, and are removed when the test process ends, however it
/// ends (the resource reaper, Ryuk, is an image that cannot be pulled here).
/// </summary>
public static class DockerEngine
{
    private const string Socket = "/var/run/docker.sock";
    private static readonly Lazy<Task<bool>> Answers = new(AnswersAsync);
    private static readonly Lazy<Task<INetwork>> Network = new(CreateNetworkAsync);

    /// <summary>Whether the fixtures run their servers in Docker.</summary>
    public static Task<bool> InUseAsync() =>
        Environment.GetEnvironmentVariable("DIT_TEST_SERVERS") == "local" ? Task.FromResult(false) : Answers.Value;

    /// <summary>Starts a container built by <paramref name="builder"/> on this process's network, named after <paramref name="kind"/>.</summary>
    public static async Task<TContainer> StartAsync<TBuilder, TContainer, TConfiguration>(string kind, ContainerBuilder<TBuilder, TContainer, TConfiguration> builder)
        where TBuilder : ContainerBuilder<TBuilder, TContainer, TConfiguration>
        where TContainer : IContainer
        where TConfiguration : IContainerConfiguration
    {
        var name = $"dit-{kind}-{Guid.NewGuid():N}";
        var container = builder
            .WithName(name)
            .WithNetwork(await Network.Value)
            .WithLabel("dit.tests", Environment.ProcessId.ToString())
            .WithCreateParameterModifier(parameters =>
            {
                foreach (var binding in (parameters.HostConfig?.PortBindings?.Values ?? []).SelectMany(b => b)) binding.HostIP = "127.0.0.1";
            })
            .Build();
        Shell.WhenTestsEnd($"docker rm -f -v {name}");
        await container.StartAsync();
        return container;
    }

    private static async Task<INetwork> CreateNetworkAsync()
    {
        var name = $"dit-tests-{Guid.NewGuid():N}";
        var network = new NetworkBuilder().WithName(name).Build();
        await network.CreateAsync();
        Shell.WhenTestsEnd($"sleep 2; docker network rm {name}");
        return network;
    }

    /// <summary>
    /// Asks the engine on the socket for its API version and tells Testcontainers to speak it (Debian's engine speaks 1.41, older than
    /// the client library's default), to reach containers through loopback, and not to start Ryuk.
    /// </summary>
    private static async Task<bool> AnswersAsync()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            if (!File.Exists(Socket) || await ApiVersionAsync() is not { } version) return false;
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", Environment.GetEnvironmentVariable("DOCKER_API_VERSION") ?? version);
        }
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        Environment.SetEnvironmentVariable("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
        return true;
    }

    private static async Task<string?> ApiVersionAsync()
    {
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancel) =>
                {
                    var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            }) { Timeout = TimeSpan.FromSeconds(5) };
            return (await http.GetFromJsonAsync<JsonObject>("http://docker/version"))!["ApiVersion"]!.GetValue<string>();
        }
        catch (Exception error) when (error is HttpRequestException or SocketException or TaskCanceledException)
        {
            return null;
        }
    }
}
