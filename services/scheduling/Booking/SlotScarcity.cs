namespace Dit.Scheduling.Booking;

/// <summary>
/// How scarce each weekly UK time is (weekday and hour on the service's grid): the patients who could use it — those
/// waiting, and those referred in the last <see cref="RecentWeeks"/> weeks, the clinic's own demand — for each therapist
/// who works then. An evening that 200 patients could use and 8 therapists work is scarce; a Tuesday morning 60
/// patients could use and 26 therapists work is not. The search spends the scarce times last (<see cref="CourseSearch"/>).
/// </summary>
public sealed class SlotScarcity
{
    /// <summary>How many weeks of referrals count as the clinic's expected demand, beside the waitlist.</summary>
    public const int RecentWeeks = 4;

    private readonly double[] _pressure;

    private SlotScarcity(double[] pressure) => _pressure = pressure;

    /// <summary>Patients who could use the time, per therapist working then (0 where nobody wants it; a time nobody works counts one therapist).</summary>
    public double At(Instant start, DateTimeZone serviceZone)
    {
        var local = start.InZone(serviceZone).LocalDateTime;
        return _pressure[Index(local.DayOfWeek, local.Hour)];
    }

    /// <summary>The pressure at one UK weekday and hour.</summary>
    public double At(IsoDayOfWeek day, int hour) => _pressure[Index(day, hour)];

    private static int Index(IsoDayOfWeek day, int hour) => ((int)day - 1) * 24 + hour;

    /// <summary>
    /// Works the pressures out for the week of <paramref name="monday"/> (UK): each patient counts once at every grid start
    /// inside their windows (in their zone, as that week's clocks put it), each therapist once at every start inside their hours.
    /// </summary>
    public static SlotScarcity Of(IEnumerable<(IReadOnlyList<AvailabilityWindow> Windows, DateTimeZone Zone)> patients,
        IReadOnlyList<TherapistDiary> therapists, CourseSearch search, LocalDate monday)
    {
        var demand = new double[7 * 24];
        foreach (var (windows, zone) in patients)
            foreach (var uk in search.UkStartsInWeek(windows, zone, monday)) demand[Index(uk.DayOfWeek, uk.Hour)]++;
        var working = new int[7 * 24];
        foreach (var hours in therapists.SelectMany(t => t.Hours))
            foreach (var time in search.StartsWithin(hours)) working[Index(hours.Day, time.Hour)]++;
        var pressure = new double[7 * 24];
        for (var i = 0; i < pressure.Length; i++) pressure[i] = demand[i] / Math.Max(1, working[i]);
        return new SlotScarcity(pressure);
    }
}

/// <summary>
/// The clinic's <see cref="SlotScarcity"/>, worked out at most once an hour of the clock (demand moves with the week's
/// referrals, not with each booking) and shared by the scheduling process's bookings.
/// </summary>
public sealed class ScarcityCache(CourseSearch search, IClock clock)
{
    private static readonly Duration MaxAge = Duration.FromHours(1);

    private readonly Lock _gate = new();
    private (Instant At, SlotScarcity Scarcity)? _current;

    public async Task<SlotScarcity> GetAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TherapistDiary> therapists)
    {
        var now = clock.GetCurrentInstant();
        lock (_gate)
        {
            // A clock set back (tests, the clinic simulation) is a new day too.
            if (_current is { } known && known.At <= now && now - known.At < MaxAge) return known.Scarcity;
        }
        var rules = search.Rules;
        var monday = now.InZone(rules.ServiceZone).Date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        var demand = await ClinicDemand.LoadAsync(connection, transaction, now - Duration.FromDays(7 * SlotScarcity.RecentWeeks), rules);
        var scarcity = SlotScarcity.Of(demand.Select(p => (p.Windows, p.Zone)), therapists, search, monday);
        lock (_gate) _current = (now, scarcity);
        return scarcity;
    }
}
