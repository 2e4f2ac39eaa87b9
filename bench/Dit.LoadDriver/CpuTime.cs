namespace Dit.LoadDriver;

/// <summary>CPU seconds (user + system) each process on the machine has used, from /proc: where a run's time went.</summary>
public static class CpuTime
{
    private static readonly double TicksPerSecond = 100;   // USER_HZ on Linux

    public static Dictionary<int, (string Name, double Seconds)> Snapshot()
    {
        var result = new Dictionary<int, (string, double)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                result[pid] = (name, (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return result;
    }

    /// <summary>CPU seconds used between two snapshots, by process name, with the given pids named after their service.</summary>
    public static Dictionary<string, double> Between(Dictionary<int, (string Name, double Seconds)> before, Dictionary<int, (string Name, double Seconds)> after,
        IReadOnlyDictionary<int, string> services) =>
        after.Select(p => (Name: services.GetValueOrDefault(p.Key, p.Value.Name),
                Seconds: p.Value.Seconds - (before.TryGetValue(p.Key, out var b) ? b.Seconds : 0)))
            .GroupBy(p => p.Name)
            .Select(g => (g.Key, Seconds: g.Sum(p => p.Seconds)))
            .Where(g => g.Seconds >= 0.5)
            .OrderByDescending(g => g.Seconds)
            .ToDictionary(g => g.Key, g => g.Seconds);
}
