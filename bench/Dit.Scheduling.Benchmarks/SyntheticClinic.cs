using Dit.Contracts;
using Dit.Scheduling.Booking;
using NodaTime;

namespace Dit.Scheduling.Benchmarks;

/// <summary>
/// A clinic of <c>therapists</c> therapists whose diaries are about 80% full for 52 weeks: each works
/// five days a week, an 8-hour shift (8 grid slots a day). Four weekly slots in five are taken by
/// courses booked back to back for the whole 52 weeks; the fifth is held by a course ending in the
/// next 0–8 weeks and free after it — where a new 16-week course can go, as in a real diary.
/// Without <c>roomForNewCourses</c>, every slot instead holds courses back to back with gaps of 0–8
/// weeks: no slot is free for 16 weeks running, every search scans everything and ends on the waitlist
/// (the worst case). Referrals ask for one to three windows of 2–4 hours. Fixed seeds: every run
/// searches the same clinic.
/// </summary>
public sealed class SyntheticClinic
{
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    public static readonly LocalDate Today = new(2027, 1, 4);   // a Monday

    /// <summary>How far ahead the diaries are filled.</summary>
    public const int Weeks = 52;

    public IReadOnlyList<TherapistDiary> Therapists { get; }
    public IReadOnlyList<SearchRequest> Referrals { get; }
    public double Occupancy { get; }

    public SyntheticClinic(int therapists, int referrals, bool roomForNewCourses = true, int seed = 2027)
    {
        var random = new Random(seed);
        var diaries = new List<TherapistDiary>(therapists);
        long slots = 0, booked = 0;
        for (var t = 0; t < therapists; t++)
        {
            var shiftStart = new[] { 7, 11, 15 }[random.Next(3)];
            var days = Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).OrderBy(_ => random.Next()).Take(5).ToList();
            var hours = days.Select(d => new WorkingHours(d, new LocalTime(shiftStart, 0), new LocalTime(shiftStart + 8, 0))).ToList();
            var starts = new List<Instant>();
            foreach (var day in days)
            {
                for (var hour = shiftStart; hour < shiftStart + 8; hour++)
                {
                    Instant At(int week) => Today.PlusWeeks(week).With(DateAdjusters.NextOrSame(day)).At(new LocalTime(hour, 0)).InZoneLeniently(London).ToInstant();
                    if (roomForNewCourses)
                    {
                        var takenWeeks = random.NextDouble() < 0.8 ? Weeks : random.Next(0, 9);
                        for (var w = 0; w < takenWeeks; w++) starts.Add(At(w));
                    }
                    else
                    {
                        for (var week = -random.Next(0, 20); week < Weeks; week += 16 + random.Next(0, 9))
                            for (var w = Math.Max(week, 0); w < Math.Min(week + 16, Weeks); w++) starts.Add(At(w));
                    }
                    slots += Weeks;
                }
            }
            starts.Sort();
            booked += starts.Count;
            diaries.Add(new TherapistDiary(new Guid(random.Next(), 0, 0, new byte[8]), $"Therapist {t}", 40, hours, starts));
        }
        Therapists = diaries;
        Occupancy = (double)booked / slots;

        var requests = new List<SearchRequest>(referrals);
        for (var r = 0; r < referrals; r++)
        {
            var windows = new List<AvailabilityWindow>();
            foreach (var _ in Enumerable.Range(0, random.Next(1, 4)))
            {
                var from = random.Next(7, 20);
                var length = random.Next(2, 5);
                windows.Add(new AvailabilityWindow((DayOfWeek)random.Next(7), new TimeOnly(from, 0), new TimeOnly(Math.Min(from + length, 23), 0)));
            }
            requests.Add(new SearchRequest(windows, Today.PlusDays(random.Next(0, 14)), London, ClosedDays.None));
        }
        Referrals = requests;
    }
}
