using System.Diagnostics;
using System.Text.Json;

namespace Dit.Testing;

/// <summary>What an independent parser makes of one of our calendar objects.</summary>
public sealed record IcsReading(string Method, IReadOnlyList<IcsEvent> Events, IReadOnlyList<string> ViaVtimezone, IReadOnlyList<string>? ViaTzdb);

public sealed record IcsEvent(string Uid, int Sequence, bool RecurrenceId, string? Location = null, string? Url = null, string? Conference = null);

/// <summary>Python's icalendar (Debian python3-icalendar) with dateutil, expanding with our VTIMEZONE and with the system tz database.</summary>
public static class PythonIcalendar
{
    // Debian's python3-icalendar installs for /usr/bin/python3, not for the python3 first on PATH here.
    public static Task<IcsReading> ReadAsync(string ics) => IcsParser.RunAsync("/usr/bin/python3", "expand_ics.py", ics);
}

/// <summary>Mozilla's ical.js (npm, installed by the test script under harness/Dit.Testing/parsers), expanding with our VTIMEZONE.</summary>
public static class IcalJs
{
    public static Task<IcsReading> ReadAsync(string ics) => IcsParser.RunAsync("node", "expand_ics.mjs", ics);
}

/// <summary>Both independent parsers at once.</summary>
public static class IcsParsers
{
    /// <summary>
    /// Reads <paramref name="ics"/> with Python's icalendar, ical.js and Ical.Net and checks that every
    /// expansion — ical.js with our VTIMEZONE, Python with our VTIMEZONE and with the tz database, Ical.Net
    /// with its tz database — gives exactly <paramref name="expectedUtc"/> (ISO instants, Z). Returns Python's reading.
    /// </summary>
    public static async Task<IcsReading> ExpectOccurrencesAsync(string ics, IEnumerable<string> expectedUtc)
    {
        var expected = expectedUtc.Order().ToList();
        var python = await PythonIcalendar.ReadAsync(ics);
        var icalJs = await IcalJs.ReadAsync(ics);
        Check("Python icalendar (VTIMEZONE)", python.ViaVtimezone);
        Check("Python icalendar (tz database)", python.ViaTzdb!);
        Check("ical.js (VTIMEZONE)", icalJs.ViaVtimezone);
        Check("Ical.Net (tz database)", IcalNet.Occurrences(ics));
        if (python.Method != icalJs.Method) throw new InvalidOperationException($"METHOD: Python {python.Method}, ical.js {icalJs.Method}");
        return python;

        void Check(string parser, IReadOnlyList<string> actual)
        {
            if (!actual.Order().SequenceEqual(expected))
                throw new InvalidOperationException($"{parser} expands to\n  {string.Join(", ", actual)}\nnot the booked\n  {string.Join(", ", expected)}\n{ics}");
        }
    }
}

/// <summary>Ical.Net's own reader (in process): every occurrence of the calendar's events, overrides and EXDATEs applied.</summary>
public static class IcalNet
{
    public static IReadOnlyList<string> Occurrences(string ics) =>
        Ical.Net.Calendar.Load(ics)!.GetOccurrences()
            .Select(o => o.Period.StartTime.AsUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
}

internal static class IcsParser
{
    public static async Task<IcsReading> RunAsync(string runtime, string script, string ics)
    {
        var file = Path.Combine(Path.GetTempPath(), $"dit-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, ics);
        try
        {
            var start = new ProcessStartInfo(runtime) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(ParsersFolder, script));
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{script} could not read the calendar:\n{error}\n{ics}");
            return JsonSerializer.Deserialize<IcsReading>(output, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>harness/Dit.Testing/parsers in the source tree, where npm installed ical.js.</summary>
    private static string ParsersFolder
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dit.Scheduling.sln"))) directory = directory.Parent;
            return directory is null
                ? Path.Combine(AppContext.BaseDirectory, "parsers")
                : Path.Combine(directory.FullName, "harness", "Dit.Testing", "parsers");
        }
    }
}
