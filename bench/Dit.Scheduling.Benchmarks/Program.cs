using BenchmarkDotNet.Running;
using Dit.Scheduling.Benchmarks;

// dotnet run -c Release --project bench/Dit.Scheduling.Benchmarks -- latency   (per-search distribution, about a minute)
// dotnet run -c Release --project bench/Dit.Scheduling.Benchmarks -- bdn       (BenchmarkDotNet: mean and allocations)
if (args is ["latency", ..])
{
    LatencyRun.Run(therapists: 2000, searches: 2000, naiveSearches: 100);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args is ["bdn", .. var rest] ? ["--filter", "*", .. rest] : args);
