using System.Globalization;
using System.Text;

namespace Dit.ClinicSimulation;

/// <summary>Waiting-time figures for a set of referrals (NHS Talking Therapies standards: first session within 6 and 18 weeks).</summary>
public sealed record Waits(int Referrals, double? MedianWeeks, double? P95Weeks, double Within6, double Within18, double NeverBooked)
{
    /// <summary>
    /// Over referrals that arrived at least 18 weeks before the year's end (so their 18 weeks are known) and were not
    /// withdrawn before booking. A referral not booked by the end counts as never booked.
    /// </summary>
    public static Waits Of(IEnumerable<ReferralOutcome> outcomes, int days)
    {
        var counted = outcomes.Where(o => o.Day <= days - 18 * 7 && !o.WithdrawnBeforeBooking).ToList();
        if (counted.Count == 0) return new Waits(0, null, null, 0, 0, 0);
        var weeks = counted.Select(o => o.WeeksToFirstSession ?? double.PositiveInfinity).Order().ToList();
        double? Percentile(double p) => weeks[Math.Min(weeks.Count - 1, (int)Math.Ceiling(p * weeks.Count) - 1)] is var w && double.IsFinite(w) ? w : null;
        return new Waits(counted.Count, Percentile(0.5), Percentile(0.95),
            weeks.Count(w => w <= 6) / (double)counted.Count, weeks.Count(w => w <= 18) / (double)counted.Count,
            weeks.Count(double.IsInfinity) / (double)counted.Count);
    }
}

/// <summary>Writes the simulation's results as Markdown tables and an SVG chart of waits against load, by pattern.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<YearResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| load | rule | referrals | median weeks | p95 weeks | within 6 weeks | within 18 weeks | never booked | utilisation | waitlist max / end | invariant violations | run time |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            var waits = Waits.Of(result.Referrals, result.Setup.Days);
            text.AppendLine($"| {result.Setup.Load:P0} | {Rule(result)} | {waits.Referrals} | {Weeks(waits.MedianWeeks)} | {Weeks(waits.P95Weeks)} | " +
                $"{waits.Within6:P1} | {waits.Within18:P1} | {waits.NeverBooked:P1} | {result.Utilisation:P1} | " +
                $"{result.WaitlistByDay.Max()} / {result.WaitlistByDay[^1]} | {(result.DaysChecked == 0 ? "not checked (fast)" : $"{result.Violations.Count} in {result.DaysChecked} days")} | {result.Elapsed.TotalMinutes:F1} min |");
        }
        text.AppendLine();
        text.AppendLine("Evening-only patients against what the evening hours allow (the year's evening sessions ÷ 16, were every evening theirs):");
        text.AppendLine();
        text.AppendLine("| load | rule | evening-only referrals | started within 18 weeks | evening courses the year holds | started ÷ bound |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            var evenings = Waits.Of(result.Referrals.Where(r => r.Pattern == Pattern.Evenings), result.Setup.Days);
            var started = (int)Math.Round(evenings.Within18 * evenings.Referrals);
            var bound = Math.Min(evenings.Referrals, result.EveningSlots / 16);
            text.AppendLine($"| {result.Setup.Load:P0} | {Rule(result)} | {evenings.Referrals} | {started} | {bound} ({result.EveningSlots} sessions ÷ 16) | " +
                $"{(bound == 0 ? "–" : (started / (double)bound).ToString("P1", Invariant))} |");
        }
        if (results.Any(r => r.Evenings is not null))
        {
            text.AppendLine();
            text.AppendLine("Who had the evening hours (sessions at 17:00–20:00 on weekdays, by pattern), and the share of late-shift evening starts booked in weeks 10–49 a therapist worked whole:");
            text.AppendLine();
            text.AppendLine("| load | rule | " + string.Join(" | ", ClinicSetup.Mix.Select(m => m.Pattern.ToString())) + " | evening starts booked |");
            text.AppendLine("|---|---|" + string.Concat(ClinicSetup.Mix.Select(_ => "---|")) + "---|");
            foreach (var result in results.Where(r => r.Evenings is not null))
                text.AppendLine($"| {result.Setup.Load:P0} | {Rule(result)} | " +
                    string.Join(" | ", ClinicSetup.Mix.Select(m => result.Evenings!.SessionsByPattern.GetValueOrDefault(m.Pattern))) +
                    $" | {result.Evenings!.FilledInFullWeeks.ToString("P1", Invariant)} |");
        }
        text.AppendLine();
        text.AppendLine("By availability pattern (within 6 weeks / within 18 weeks / never booked):");
        text.AppendLine();
        text.AppendLine("| load | rule | " + string.Join(" | ", ClinicSetup.Mix.Select(m => $"{m.Pattern} ({m.Share:P0})")) + " |");
        text.AppendLine("|---|---|" + string.Concat(ClinicSetup.Mix.Select(_ => "---|")));
        foreach (var result in results)
        {
            text.Append($"| {result.Setup.Load:P0} | {Rule(result)} |");
            foreach (var (pattern, _) in ClinicSetup.Mix)
            {
                var waits = Waits.Of(result.Referrals.Where(r => r.Pattern == pattern), result.Setup.Days);
                text.Append(waits.Referrals == 0 ? " – |" : $" {waits.Within6:P0} / {waits.Within18:P0} / {waits.NeverBooked:P0} (n={waits.Referrals}) |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Rule(YearResult result) =>
        (result.Setup.Baseline ? "first week only (baseline)" : "18-week search") + (result.Setup.ScarceTimesLast ? ", scarce times last" : ", earliest first")
        + (result.Setup.Baseline ? "" : $", {result.Setup.MovedTakenWeeks} taken weeks moved")
        + (result.Setup.Fast ? " (fast)" : "");

    private static string Weeks(double? weeks) => weeks is { } w ? w.ToString("F1", Invariant) : "never";

    /// <summary>Share of referrals whose first session came within 6 weeks, against load: one line per pattern, the baseline dashed.</summary>
    public static string Svg(IReadOnlyList<YearResult> results)
    {
        const int width = 820, height = 420, left = 60, right = 250, top = 30, bottom = 50;
        var loads = results.Select(r => r.Setup.Load).Distinct().Order().ToList();
        double X(double load) => loads.Count == 1 ? left + (width - left - right) / 2.0 : left + (load - loads[0]) / (loads[^1] - loads[0]) * (width - left - right);
        double Y(double share) => top + (1 - share) * (height - top - bottom);
        var colours = new[] { "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d" };
        var svg = new StringBuilder();
        svg.AppendLine($"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine($"""<rect width="{width}" height="{height}" fill="white"/>""");
        svg.AppendLine($"""<text x="{left}" y="18" font-size="14">Referrals whose first session came within 6 weeks, by availability pattern</text>""");
        for (var share = 0.0; share <= 1.0001; share += 0.2)
            svg.AppendLine(Invariant, $"""<line x1="{left}" x2="{width - right}" y1="{Y(share):F1}" y2="{Y(share):F1}" stroke="#ddd"/><text x="{left - 8}" y="{Y(share) + 4:F1}" text-anchor="end">{share:P0}</text>""");
        foreach (var load in loads)
            svg.AppendLine(Invariant, $"""<text x="{X(load):F1}" y="{height - bottom + 18}" text-anchor="middle">{load:P0}</text>""");
        svg.AppendLine($"""<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">load (new courses a week × 16 ÷ the therapists' weekly caps)</text>""");
        var lines = ClinicSetup.Mix.Select((m, i) => (Name: m.Pattern.ToString(), Colour: colours[i], Baseline: false, Pick: (Func<ReferralOutcome, bool>)(r => r.Pattern == m.Pattern)))
            .Append(("All, first week only (baseline)", "#000", true, _ => true))
            .Append(("All, 18-week search", "#000", false, _ => true));
        var legend = top + 10;
        foreach (var (name, colour, baseline, pick) in lines)
        {
            var points = results.Where(r => r.Setup.Baseline == baseline).OrderBy(r => r.Setup.Load)
                .Select(r => (r.Setup.Load, Waits.Of(r.Referrals.Where(pick), r.Setup.Days))).Where(p => p.Item2.Referrals > 0).ToList();
            if (points.Count == 0) continue;
            var width2 = name.StartsWith("All", StringComparison.Ordinal) ? 3 : 1.5;
            var dash = baseline ? " stroke-dasharray=\"6 4\"" : "";
            svg.AppendLine($"""<polyline fill="none" stroke="{colour}" stroke-width="{width2.ToString(Invariant)}"{dash} points="{string.Join(" ", points.Select(p => string.Create(Invariant, $"{X(p.Load):F1},{Y(p.Item2.Within6):F1}")))}"/>""");
            foreach (var p in points) svg.AppendLine(Invariant, $"""<circle cx="{X(p.Load):F1}" cy="{Y(p.Item2.Within6):F1}" r="3" fill="{colour}"/>""");
            svg.AppendLine($"""<line x1="{width - right + 12}" x2="{width - right + 36}" y1="{legend}" y2="{legend}" stroke="{colour}" stroke-width="{width2.ToString(Invariant)}"{dash}/><text x="{width - right + 42}" y="{legend + 4}">{name}</text>""");
            legend += 18;
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
