using System.Diagnostics;

namespace Dit.Testing;

/// <summary>Runs the machine's own server binaries for the test fixtures.</summary>
public static class Shell
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a command to completion; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(Start(file, arguments, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }

    /// <summary>A command as another user when running as root (initdb and RabbitMQ refuse root).</summary>
    public static (string File, IEnumerable<string> Arguments) As(string user, string file, params string[] arguments) =>
        IsRoot ? ("runuser", ["-u", user, "--", file, .. arguments]) : (file, arguments);

    public static ProcessStartInfo Start(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }

    /// <summary>
    /// Runs <paramref name="shellCommand"/> once this test process has gone, however it went: the
    /// test host does not always run exit handlers, and a server left behind would outlive the run.
    /// </summary>
    public static void WhenTestsEnd(string shellCommand)
    {
        var watchdog = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["sh", "-c",
            $"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {shellCommand}"]) watchdog.ArgumentList.Add(argument);
        Process.Start(watchdog);
    }

    /// <summary>A shell command that kills <paramref name="pid"/> and everything it started.</summary>
    public static string KillTree(int pid) =>
        $"tree() {{ for c in $(pgrep -P $1); do tree $c; done; kill -KILL $1 2>/dev/null; }}; tree {pid}";

    public static async Task ChownAsync(string user, string path)
    {
        if (IsRoot) await RunAsync("chown", ["-R", $"{user}:{user}", path]);
    }
}
