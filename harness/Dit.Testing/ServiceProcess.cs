using System.Diagnostics;
using System.Text;

namespace Dit.Testing;

/// <summary>
/// One service as its own operating-system process — <c>dotnet services/&lt;name&gt;/bin/…/Dit.&lt;Name&gt;.dll</c>,
/// the build the caller's own build made — configured by environment variables as in production,
/// on a fixed port so it comes back at the same address after <see cref="Kill"/> and <see cref="StartAsync()"/>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    private ServiceProcess(string service, string dll, Dictionary<string, string> environment, int port, string workingDirectory)
    {
        Service = service;
        _dll = dll;
        _environment = environment;
        WorkingDirectory = workingDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        LogFile = Path.Combine(workingDirectory, "service.log");
    }

    public string Service { get; }

    /// <summary>The process's current directory (and content root: the development host keeps <c>data/</c> here).</summary>
    public string WorkingDirectory { get; }

    public Uri BaseAddress { get; }

    /// <summary>Everything the process wrote to stdout and stderr, over all its starts.</summary>
    public string LogFile { get; }

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>
    /// Start the process again whenever it exits by itself (not through <see cref="Kill"/> or disposal), as
    /// Compose's <c>restart: unless-stopped</c> does. How many times that happened is <see cref="Restarts"/>.
    /// </summary>
    public bool RestartWhenItExits { get; set; }

    public int Restarts => _restarts;

    private bool _stoppedByUs;
    private int _restarts;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// A process for <paramref name="service"/> ("referrals", "scheduling", "notifications" or the development "host") with
    /// the given configuration (keys as in appsettings, <c>Section:Key</c>). Not started yet.
    /// </summary>
    /// <param name="urlsBy">How the process is told its address: <c>"setting"</c> (the <c>Urls</c> setting and
    /// <c>ASPNETCORE_URLS</c>), or only <c>"ASPNETCORE_URLS"</c>, or only the <c>"--urls"</c> argument.</param>
    /// <param name="arguments">More of the command line (the host's <c>--simulated-clinic 20</c>, say).</param>
    public static ServiceProcess For(string service, IReadOnlyDictionary<string, string?> settings, int? port = null, string urlsBy = "setting",
        string[]? arguments = null)
    {
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        var dll = Path.Combine(RepositoryRoot, "services", service, "bin", BuildConfiguration, "net10.0", $"Dit.{name}.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
        var port_ = port ?? FreePort.Next();
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!);
        environment.TryAdd("Logging__LogLevel__Default", "Warning");
        // The line saying the FHIR validator is warm (ProcessSystem.FhirValidatorWarmAsync waits for it).
        environment.TryAdd("Logging__LogLevel__Dit.Referrals.Fhir.BarsValidator", "Information");
        var url = $"http://127.0.0.1:{port_}";
        if (urlsBy == "setting") environment["ASPNETCORE_URLS"] = environment["Urls"] = url;
        else if (urlsBy == "ASPNETCORE_URLS") environment["ASPNETCORE_URLS"] = url;
        var workingDirectory = Path.Combine(Path.GetTempPath(), $"dit-{service}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workingDirectory);
        return new ServiceProcess(service, dll, environment, port_, workingDirectory) { Arguments = [.. urlsBy == "--urls" ? ["--urls", url] : Array.Empty<string>(), .. arguments ?? []] };
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200 (database migrated, bus connected).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning) throw new InvalidOperationException($"{Service} is already running.");
        _stoppedByUs = false;
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        var process = Process.Start(StartInfo(Arguments))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Exited += (_, _) =>
        {
            lock (log) log.WriteLine($"--- process {process.Id} exited with {process.ExitCode}");
            if (_stoppedByUs || !RestartWhenItExits) return;
            Interlocked.Increment(ref _restarts);
            _ = Task.Run(async () =>
            {
                try { await StartAsync(); }
                catch (Exception exception) { lock (log) log.WriteLine($"--- restart failed: {exception.Message}"); }
            });
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Shell.WhenTestsEnd(Shell.KillTree(process.Id));
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Service} exited with {process.ExitCode}:\n{ReadLog()}");
            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Service} was not ready within {timeout ?? TimeSpan.FromMinutes(2)}:\n{ReadLog()}");
    }

    /// <summary>Runs the service's executable with <paramref name="arguments"/> (e.g. <c>keys add "Name"</c>) and returns its output.</summary>
    public Task<string> RunCommandAsync(params string[] arguments) => Shell.RunAsync("dotnet", [_dll, .. arguments], _environment);

    /// <summary>The new key a <c>keys add</c> command printed (its last line).</summary>
    public async Task<string> AddKeyAsync(string holder, params string[] roles) =>
        (await RunCommandAsync(roles.Length == 0 ? ["keys", "add", holder] : ["keys", "add", holder, "--roles", string.Join(",", roles)]))
            .Trim().Split('\n')[^1].Trim();

    /// <summary>kill -9: no shutdown, no flushing, whatever was in hand is dropped.</summary>
    public void Kill()
    {
        _stoppedByUs = true;
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The process's peak resident memory so far (VmHWM), in bytes; 0 once it has gone.</summary>
    public long PeakResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{ProcessId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { return 0; }
    }

    /// <summary>The whole log so far.</summary>
    public string ReadWholeLog()
    {
        using var stream = new FileStream(LogFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream, Encoding.UTF8).ReadToEnd();
    }

    /// <summary>The log's last 20,000 characters, for an error message.</summary>
    public string ReadLog()
    {
        var text = ReadWholeLog();
        return text.Length > 20_000 ? text[^20_000..] : text;
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = Shell.Start("dotnet", [_dll, .. arguments], _environment);
        start.WorkingDirectory = WorkingDirectory;
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        _stoppedByUs = true;
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>The folder holding <c>Dit.Scheduling.sln</c>, found upwards from this assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The command-line arguments the process starts with.</summary>
    public string[] Arguments { get; private init; } = [];

    /// <summary>Debug or Release: whichever this assembly was built as, so the services are the same build.</summary>
    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Dit.Scheduling.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No Dit.Scheduling.sln above {AppContext.BaseDirectory}.");
    }
}
