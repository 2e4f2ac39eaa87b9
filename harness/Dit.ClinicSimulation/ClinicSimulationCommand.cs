using System.Globalization;

namespace Dit.ClinicSimulation;

/// <summary>
/// dotnet run -c Release --project bench/Dit.ClinicSimulation -- [--loads 0.7,0.9,1.0,1.1] [--days 364] [--seed 2027]
///     [--day 20 --late 8 --part-time 6 --weekend 6 --cap 25] [--no-baseline | --baseline-only] [--scarce-times-last] [--moved-taken-weeks 2] [--fast [--bring-forward 0.5]] [--out docs/booking-quality]
/// Runs a clinic's year per load, under today's booking rule and the first-week-only baseline, and prints (or writes
/// to OUT.md / OUT.svg) the waits per availability pattern. A clinic manager sets their own therapists and load.
/// <c>--fast</c> books the same year in memory with the same booking code (<see cref="FastClinicYear"/>): a what-if in seconds.
/// </summary>
public static class ClinicSimulationCommand
{
    public static async Task<int> Main(string[] args)
    {
        string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var loads = Option("--loads", "0.7,0.9,1.0,1.1").Split(',').Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
        var template = new ClinicSetup(1.0, Days: Number("--days", 364), Seed: Number("--seed", 2027),
            DayTherapists: Number("--day", 20), LateTherapists: Number("--late", 8), PartTimeTherapists: Number("--part-time", 6),
            WeekendTherapists: Number("--weekend", 6), Cap: Number("--cap", 25), ScarceTimesLast: args.Contains("--scarce-times-last"),
            MovedTakenWeeks: Number("--moved-taken-weeks", 2),
            Fast: args.Contains("--fast"), BringForward: double.Parse(Option("--bring-forward", "0"), CultureInfo.InvariantCulture));
        var rules = args.Contains("--no-baseline") ? new[] { false } : args.Contains("--baseline-only") ? [true] : [false, true];

        var results = new List<YearResult>();
        foreach (var load in loads)
            foreach (var baseline in rules)
            {
                var setup = template with { Load = load, Baseline = baseline };
                Console.WriteLine($"Simulating {setup.Days} days at {load:P0} of capacity ({setup.ReferralsPerDay:F1} referrals a day), {(baseline ? "first week only" : "18-week search")}...");
                var result = setup.Fast ? await new FastClinicYear(setup, Console.Out).RunAsync() : await new ClinicYear(setup, Console.Out).RunAsync();
                foreach (var violation in result.Violations.Take(20)) Console.WriteLine("  VIOLATION " + violation);
                results.Add(result);
                // Written after every year, so that a long run's finished years are kept if it is stopped.
                if (args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() is { } output)
                {
                    await File.WriteAllTextAsync(output + ".md", Report.Markdown(results));
                    await File.WriteAllTextAsync(output + ".svg", Report.Svg(results));
                }
            }

        Console.WriteLine(Report.Markdown(results));
        return results.Sum(r => r.Violations.Count) == 0 ? 0 : 1;
    }
}
