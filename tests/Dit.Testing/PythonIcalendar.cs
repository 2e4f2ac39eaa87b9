using System.Diagnostics;
using System.Text.Json;

namespace Dit.Testing;

/// <summary>What Python's icalendar (an independent parser) makes of one of our calendar objects.</summary>
public sealed record PythonReading(string Method, IReadOnlyList<PythonEvent> Events, IReadOnlyList<string> ViaVtimezone, IReadOnlyList<string> ViaTzdb);

public sealed record PythonEvent(string Uid, int Sequence, bool RecurrenceId);

public static class PythonIcalendar
{
    // Debian's python3-icalendar installs for /usr/bin/python3, not for the python3 first on PATH here.
    private const string Python = "/usr/bin/python3";

    public static async Task<PythonReading> ReadAsync(string ics)
    {
        var file = Path.Combine(Path.GetTempPath(), $"dit-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, ics);
        try
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "parsers", "expand_ics.py"));
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"Python's icalendar could not read the calendar:\n{error}\n{ics}");
            return JsonSerializer.Deserialize<PythonReading>(output, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
