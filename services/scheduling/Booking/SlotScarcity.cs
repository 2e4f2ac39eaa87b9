using System.Text.Json;

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
        var rules = search.Rules;
        var demand = new double[7 * 24];
        foreach (var (windows, zone) in patients)
        {
            // Their week: the days that can hold the UK week's starts, one either side for a patient abroad.
            for (var date = monday.PlusDays(-1); date <= monday.PlusDays(7); date = date.PlusDays(1))
            {
                foreach (var start in search.GridOn(date, windows, zone))
                {
                    var uk = start.Start.InZone(rules.ServiceZone).LocalDateTime;
                    if (uk.Date >= monday && uk.Date < monday.PlusDays(7)) demand[Index(uk.DayOfWeek, uk.Hour)]++;
                }
            }
        }
        var working = new int[7 * 24];
        foreach (var therapist in therapists)
        {
            foreach (var hours in therapist.Hours)
            {
                for (var time = rules.FirstStart; time <= rules.LastStart && time >= rules.FirstStart; time = time.PlusHours(1))
                    if (time >= hours.From && time.PlusMinutes(rules.SessionMinutes) <= hours.To) working[Index(hours.Day, time.Hour)]++;
            }
        }
        var pressure = new double[7 * 24];
        for (var i = 0; i < pressure.Length; i++) pressure[i] = demand[i] / Math.Max(1, working[i]);
        return new SlotScarcity(pressure);
    }

    /// <summary>
    /// The clinic's demand as the scheduling database has it: every waiting referral's windows, and the windows of every
    /// course referred in the last <see cref="RecentWeeks"/> weeks.
    /// </summary>
    public static async Task<List<(IReadOnlyList<AvailabilityWindow> Windows, DateTimeZone Zone)>> DemandAsync(
        DbConnection connection, DbTransaction? transaction, Instant now, BookingRules rules)
    {
        var patients = new List<(IReadOnlyList<AvailabilityWindow>, DateTimeZone)>();
        foreach (var json in await connection.QueryAsync<string>("select request_json from waitlist", transaction: transaction))
        {
            var referral = JsonSerializer.Deserialize<ReferralForBooking>(json, MessageJson.Options);
            if (referral?.Availability is { Count: > 0 } windows) patients.Add((windows, ZoneOf(referral.TimeZone, rules)));
        }
        var since = (now - Duration.FromDays(7 * RecentWeeks)).ToUnixTimeMilliseconds();
        foreach (var (availability, zone) in await connection.QueryAsync<(string, string)>(
                     "select availability_json, time_zone from courses where referred_at >= @since and availability_json is not null",
                     new { since }, transaction))
        {
            if (JsonSerializer.Deserialize<List<AvailabilityWindow>>(availability, MessageJson.Options) is { Count: > 0 } windows)
                patients.Add((windows, ZoneOf(zone, rules)));
        }
        return patients;
    }

    private static DateTimeZone ZoneOf(string? id, BookingRules rules) =>
        (id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)) ?? rules.ServiceZone;
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
        var scarcity = SlotScarcity.Of(await SlotScarcity.DemandAsync(connection, transaction, now, rules), therapists, search, monday);
        lock (_gate) _current = (now, scarcity);
        return scarcity;
    }
}
