using BenchmarkDotNet.Attributes;
using Dit.Scheduling.Booking;

namespace Dit.Scheduling.Benchmarks;

/// <summary>One course search among 2,000 therapists' diaries, 80% full for 52 weeks (BenchmarkDotNet: mean and allocations).</summary>
// In-process: BenchmarkDotNet's generated project would miss the ASP.NET Core framework reference the
// services carry, and fail to restore on this registry.
[MemoryDiagnoser]
[InProcess]
public class SearchBenchmarks
{
    private SyntheticClinic _clinic = null!;
    private CourseSearch _search = null!;
    private NaiveCourseSearch _naive = null!;
    private int _next;

    /// <summary>True: a clinic with room for new courses. False: every search scans everything and ends on the waitlist.</summary>
    [Params(true, false)]
    public bool RoomForNewCourses { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _clinic = new SyntheticClinic(2000, 256, RoomForNewCourses);
        _search = new CourseSearch(BookingRules.Default);
        _naive = new NaiveCourseSearch(BookingRules.Default);
    }

    [Benchmark(Baseline = true, Description = "naive: every slot against every appointment")]
    public CourseSlot? Naive() => _naive.FindBest(NextReferral(), _clinic.Therapists);

    [Benchmark(Description = "CourseSearch (sorted diaries, binary search)")]
    public CourseSlot? Indexed() => _search.FindBest(NextReferral(), _clinic.Therapists);

    private SearchRequest NextReferral() => _clinic.Referrals[_next++ % _clinic.Referrals.Count];
}
