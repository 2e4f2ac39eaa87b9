using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Task = System.Threading.Tasks.Task;

namespace Dit.Referrals.Fhir;

/// <summary>
/// Validates a referral message with Firely's validator, entry by entry: each Patient, Consent, Flag, ServiceRequest,
/// QuestionnaireResponse and MessageHeader against its UK Core profile, any other resource against base FHIR R4
/// (structure, cardinality, invariants, required bindings). The profiles are read from files
/// (<c>Fhir/Profiles</c>, UK Core 2.0.0; the base specification from <c>specification.zip</c>); the validator is built
/// once per process (<see cref="Shared"/>: the conformance data is the same for every host in it), warmed at start-up
/// (<see cref="Warmup"/>: the first validation reads the profiles and builds their snapshots, tens of seconds on two
/// cores), and runs at most one validation per core at a time — a burst of messages queues here rather than starving the
/// rest of the service. Only errors refuse a message; warnings (an unknown code system in a preferred binding, say) do not.
/// </summary>
public sealed class BarsValidator
{
    private static readonly Lazy<BarsValidator> Instance = new(() => new BarsValidator());

    public static BarsValidator Shared => Instance.Value;

    private const string UkCore = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-";
    private static readonly HashSet<string> UkCoreTypes = ["Patient", "Consent", "Flag", "ServiceRequest", "QuestionnaireResponse", "MessageHeader"];

    private readonly Validator _validator;
    private readonly SemaphoreSlim _gate = new(Environment.ProcessorCount);

    private BarsValidator()
    {
        var profiles = new DirectorySource(Path.Combine(AppContext.BaseDirectory, "Fhir", "Profiles"),
            new DirectorySourceSettings { IncludeSubDirectories = true });
        var resolver = new CachedResolver(new OneAtATime(new SnapshotSource(new MultiResolver(ZipSource.CreateValidationSource(), profiles))));
        _validator = new Validator(resolver, new LocalTerminologyService(resolver));
    }

    /// <returns>Each error, by its element's FHIRPath in the bundle.</returns>
    public async Task<List<BarsIssue>> ValidateAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Validate(bundle), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<BarsIssue> Validate(Bundle bundle)
    {
        // Each entry on its own — a UK Core type against its UK Core profile (which holds base FHIR's rules too), any other
        // against base FHIR — rather than the Bundle and then the entries again: half the work for the same rules. The
        // Bundle's own elements were checked when it was read (BarsReferralMessage, and the parser's cardinalities).
        var issues = new List<BarsIssue>();
        for (var i = 0; i < bundle.Entry.Count; i++)
            if (bundle.Entry[i].Resource is { } resource)
                issues.AddRange(Errors(_validator.Validate(resource, UkCoreTypes.Contains(resource.TypeName)
                    ? UkCore + resource.TypeName : $"http://hl7.org/fhir/StructureDefinition/{resource.TypeName}"), resource.TypeName, $"Bundle.entry[{i}].resource"));
        return issues.DistinctBy(i => (i.Expression, i.Message)).ToList();
    }

    private static IEnumerable<BarsIssue> Errors(OperationOutcome outcome, string root, string at) =>
        outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new BarsIssue(
                (i.Expression.FirstOrDefault() ?? i.Location.FirstOrDefault()) is { } path && path.StartsWith(root, StringComparison.Ordinal)
                    ? at + path[root.Length..] : at,
                i.Details?.Text ?? i.Diagnostics ?? "Not valid FHIR.", "invalid"));

    /// <summary>
    /// Resolves one profile at a time: Firely's snapshot generator is not safe for two threads building the same profile's
    /// snapshot ("The navigator for profile … is already initialized"), which two messages arriving at once on a cold
    /// validator do. Once resolved, a profile is served by the <see cref="CachedResolver"/> above without the lock.
    /// </summary>
    private sealed class OneAtATime(IAsyncResourceResolver inner) : IAsyncResourceResolver
    {
        private readonly SemaphoreSlim _lock = new(1);

        public Task<ResolverResult> TryResolveByUriAsync(string uri) => OneAsync(() => inner.TryResolveByUriAsync(uri));

        public Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) => OneAsync(() => inner.TryResolveByCanonicalUriAsync(uri));

#pragma warning disable CS0618 // the interface's older members, which callers may still use
        public Task<Resource?> ResolveByUriAsync(string uri) => OneAsync(() => inner.ResolveByUriAsync(uri));

        public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => OneAsync(() => inner.ResolveByCanonicalUriAsync(uri));
#pragma warning restore CS0618

        private async Task<T> OneAsync<T>(Func<Task<T>> resolve)
        {
            await _lock.WaitAsync();
            try { return await resolve(); }
            finally { _lock.Release(); }
        }
    }

    private volatile bool _warm;

    /// <summary>Builds the validator's schemas before the first message arrives: the first validation reads the profiles.</summary>
    public sealed class Warmup(ILogger<Warmup> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var issues = await Shared.ValidateAsync(BarsConformance.ExampleMessage(), stoppingToken);
            Shared._warm = true;
            logger.LogInformation("FHIR validator warmed in {Milliseconds} ms ({Issues} issues on the example message)", started.ElapsedMilliseconds, issues.Count);
        }
    }

    /// <summary>
    /// The <c>fhir-validator</c> entry of <c>/health/ready</c>: degraded (still 200 — JSON referrals, the bus and the pages
    /// work) until the warm-up is done, so that an operator sees why the first FHIR messages after a start are slow.
    /// </summary>
    public sealed class ReadyCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(Shared._warm
                ? HealthCheckResult.Healthy("Warm.")
                : HealthCheckResult.Degraded("Warming up: FHIR messages wait until the profiles are read (tens of seconds after a start); JSON referrals do not."));
    }
}
