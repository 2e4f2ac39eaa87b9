using System.Diagnostics;

namespace Dit.Testing;

/// <summary>
/// A real SMTP server for a test: Debian's python3-aiosmtpd on a free port, storing what it receives
/// in a maildir. Stop it to make SMTP refuse connections; start another on the same port to bring it back.
/// Like a real server, it refuses for good (550) any recipient it does not know: here, addresses starting with
/// <c>unknown</c> (rejecting_mailbox.py).
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpServer(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    public int Port { get; }

    public string Maildir { get; }

    public static async Task<SmtpServer> StartAsync(int? port = null, string? maildir = null)
    {
        port ??= FreePort.Next();
        // aiosmtpd's Mailbox makes the maildir (tmp/, new/, cur/) itself, but only where nothing exists yet.
        maildir ??= Path.Combine(Path.GetTempPath(), $"dit-maildir-{Guid.NewGuid():N}");
        var handlerFolder = Path.Combine(ServiceProcess.RepositoryRoot, "harness", "Dit.Testing");
        var process = Process.Start(Shell.Start("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "rejecting_mailbox.RejectingMailbox", maildir],
            new Dictionary<string, string> { ["PYTHONPATH"] = handlerFolder }))!;
        Shell.WhenTestsEnd(Shell.KillTree(process.Id));
        var output = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(port.Value, TimeSpan.FromSeconds(20), () => { lock (output) return output.ToString(); });
        return new SmtpServer(process, port.Value, maildir);
    }

    /// <summary>The messages received, once at least <paramref name="count"/> have arrived (or after <paramref name="seconds"/>).</summary>
    public async Task<string[]> WaitForMessagesAsync(int count, int seconds = 30)
    {
        var received = Path.Combine(Maildir, "new");
        string[] Received() => Directory.Exists(received) ? Directory.GetFiles(received) : [];
        var files = Received();
        for (var i = 0; i < seconds * 10 && files.Length < count; i++)
        {
            await Task.Delay(100);
            files = Received();
        }
        return await Task.WhenAll(files.OrderBy(File.GetLastWriteTimeUtc).Select(f => File.ReadAllTextAsync(f)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }
}
