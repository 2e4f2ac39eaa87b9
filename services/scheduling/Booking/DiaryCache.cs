namespace Dit.Scheduling.Booking;

/// <summary>
/// Every therapist's diary, kept in the scheduling process between bookings: read in full once, then per booking only
/// the therapists whose <c>diary_version</c> has moved since — raised by a trigger on every change to their sessions,
/// leave or hours, by this process or any other (migration 0005). The check is one small read of the therapists table;
/// a booking of ours shows up in it like anyone else's, so the next search reloads that one therapist. The cache only
/// saves reading; the database still refuses a double booking or a week over the cap (<see cref="CourseBooker"/>).
/// </summary>
/// <remarks>
/// The diaries cover a window from when they were read to a search's reach (<see cref="BookingRules.DiaryReach"/>
/// from now plus the lead time) and twelve weeks more (a referral may ask to start a few weeks on); when the clock
/// passes that, they are all read again. A search from further ahead (an earliest start months away) reads its
/// diaries itself.
/// </remarks>
public sealed class DiaryCache(BookingRules rules, IClock clock)
{
    private sealed record Cached(long Version, TherapistDiary Diary);

    private sealed record Window(Instant From, Instant To, Dictionary<string, Cached> Diaries);

    private static readonly Duration Slack = Duration.FromDays(7 * 12);

    private readonly Lock _gate = new();
    private Window? _window;

    /// <summary>Full reads and per-therapist reloads so far: how much reading the cache saves (the tests check it).</summary>
    public (int FullReads, int TherapistsReloaded) Reads { get; private set; }

    /// <summary>
    /// Every therapist's diary covering <paramref name="from"/> to <paramref name="to"/> (as
    /// <see cref="Diaries.LoadAsync(DbConnection, DbTransaction?, Instant, Instant, string?, string?)"/>, though a cached
    /// diary may hold more weeks either side), current as of this call, in the caller's transaction.
    /// Call it before the transaction writes to any diary.
    /// </summary>
    public async Task<IReadOnlyList<TherapistDiary>> LoadAsync(DbConnection connection, DbTransaction transaction, Instant from, Instant to)
    {
        var now = clock.GetCurrentInstant();
        Window? window;
        lock (_gate) window = _window;
        if (window is null || from < window.From || to > window.To)
        {
            var reach = rules.DiaryReach(rules.HorizonWeeks) + Duration.FromDays(rules.LeadDays) + Slack;
            if (from < now || to > now + reach) return await Diaries.LoadAsync(connection, transaction, from, to);
            window = new Window(now, now + reach, []);
        }

        // The versions first: a diary read after them is at least as new, so the worst a concurrent change can do is
        // cost one more reload next time.
        var versions = (await connection.QueryAsync<(string Id, long Version)>(
            "select id, diary_version from therapists", transaction: transaction)).ToDictionary(v => v.Id, v => v.Version);
        var diaries = new Dictionary<string, Cached>(versions.Count);
        var changed = new List<string>();
        foreach (var (id, version) in versions)
        {
            if (window.Diaries.TryGetValue(id, out var kept) && kept.Version == version) diaries[id] = kept;
            else changed.Add(id);
        }
        if (changed.Count > 0)
        {
            var everyone = changed.Count == versions.Count;
            foreach (var diary in await Diaries.LoadAsync(connection, transaction, window.From, window.To, everyone ? null : changed))
                diaries[diary.Id.ToString()] = new Cached(versions.GetValueOrDefault(diary.Id.ToString()), diary);
            lock (_gate)
                Reads = window.Diaries.Count == 0 ? (Reads.FullReads + 1, Reads.TherapistsReloaded) : (Reads.FullReads, Reads.TherapistsReloaded + changed.Count);
        }

        var current = window with { Diaries = diaries };
        lock (_gate)
        {
            // Two searches at once each store their view; either will do (a version behind only costs a reload next
            // time), but never an older window over a newer one.
            if (_window is null || _window.From <= current.From) _window = current;
        }
        return diaries.Values.Select(c => c.Diary).OrderBy(d => d.Id).ToList();
    }
}
