using System.Diagnostics;
using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Benchmarks;

/// <summary>
/// Times each search on its own (Stopwatch), to give the distribution BenchmarkDotNet does not:
/// mean, p50, p99 and max per search, and bytes allocated per search.
/// </summary>
public static class LatencyRun
{
    public static void Run(int therapists, int searches, int naiveSearches)
    {
        foreach (var room in new[] { true, false })
        {
            var clinic = new SyntheticClinic(therapists, searches, room);
            Console.WriteLine($"clinic ({(room ? "room for new courses" : "no slot free 16 weeks running: every search ends on the waitlist")}): " +
                $"{therapists} therapists, {clinic.Therapists.Sum(t => t.BookedStarts.Count):N0} appointments, occupancy {clinic.Occupancy:P1}");
            Run(clinic, searches, naiveSearches);
        }
    }

    private static void Run(SyntheticClinic clinic, int searches, int naiveSearches)
    {
        var search = new CourseSearch(BookingRules.Default);
        var naive = new NaiveCourseSearch(BookingRules.Default);
        Measure("CourseSearch", clinic, searches, r => search.FindBest(r, clinic.Therapists));
        // As the service books (issue 25): the clinic's demand is its referrals' windows.
        var scarcity = SlotScarcity.Of(clinic.Referrals.Select(r => (r.Windows, r.Zone)), clinic.Therapists, search, SyntheticClinic.Today);
        Measure("CourseSearch, scarce times last", clinic, searches, r => search.FindBest(r with { Scarcity = scarcity }, clinic.Therapists));
        Measure("naive baseline", clinic, naiveSearches, r => naive.FindBest(r, clinic.Therapists));
    }

    private static void Measure(string name, SyntheticClinic clinic, int count, Func<SearchRequest, CourseSlot?> find)
    {
        for (var i = 0; i < Math.Min(20, count); i++) find(clinic.Referrals[i]);   // warm-up
        var times = new double[count];
        var found = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (find(clinic.Referrals[i % clinic.Referrals.Count]) is not null) found++;
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count;
        Array.Sort(times);
        double Percentile(double p) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(p * times.Length) - 1)];
        Console.WriteLine($"{name}: {count} searches, {found} found a course; per search mean {times.Average():F3} ms, " +
                          $"p50 {Percentile(0.50):F3} ms, p99 {Percentile(0.99):F3} ms, max {times[^1]:F3} ms, allocated {allocated / 1024:F1} KiB");
    }
}
