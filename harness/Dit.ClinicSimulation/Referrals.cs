using Dit.Contracts;
using NodaTime;

namespace Dit.ClinicSimulation;

/// <summary>A simulated referral: who, when, what availability, and whether and when the referrer withdraws it.</summary>
public sealed record SimReferral(Guid Id, int Day, Pattern Pattern, ReferralForBooking Message, int? WithdrawOnDay);

/// <summary>Makes referrals with the availability mix, from one seeded random source.</summary>
public sealed class ReferralMaker(Random random)
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public SimReferral Make(int day, LocalDate date)
    {
        var pattern = Pick();
        var (windows, zone) = Windows(pattern);
        var id = Guid.NewGuid();
        var earliest = date.PlusDays(random.Next(0, 15));
        var message = new ReferralForBooking(id, "simulated-referrer", windows, earliest.ToDateOnly(), zone, "SP",
            date.AtStartOfDayInZone(DateTimeZoneProviders.Tzdb["Europe/London"]).ToDateTimeOffset());
        int? withdraw = random.NextDouble() < 0.05 ? day + random.Next(1, 57) : null;
        return new SimReferral(id, day, pattern, message, withdraw);
    }

    private Pattern Pick()
    {
        var roll = random.NextDouble();
        foreach (var (pattern, share) in ClinicSetup.Mix)
        {
            if (roll < share) return pattern;
            roll -= share;
        }
        return Pattern.AnyTime;
    }

    private (List<AvailabilityWindow>, string) Windows(Pattern pattern) => pattern switch
    {
        Pattern.Evenings => (Days(Weekdays, random.Next(2, 4)).Select(d => Window(d, 17, 21)).ToList(), "Europe/London"),
        Pattern.Daytime => (Days(Weekdays, random.Next(3, 6)).Select(d => Window(d, 9, 17)).ToList(), "Europe/London"),
        Pattern.OneWeekday => (OneWeekday(), "Europe/London"),
        Pattern.Weekends => ([Window(DayOfWeek.Saturday, 9, 17), Window(DayOfWeek.Sunday, 9, 17)], "Europe/London"),
        Pattern.AnyTime => (Days(Enum.GetValues<DayOfWeek>(), random.Next(5, 8)).Select(d => Window(d, 8, 21)).ToList(), "Europe/London"),
        _ => Abroad(),
    };

    private List<AvailabilityWindow> OneWeekday()
    {
        var from = random.Next(9, 19);
        return [Window(Weekdays[random.Next(Weekdays.Length)], from, from + 3)];
    }

    /// <summary>New York mornings (UK midday), Kolkata evenings (UK afternoon, on the half hour there), Madrid evenings.</summary>
    private (List<AvailabilityWindow>, string) Abroad() => random.Next(3) switch
    {
        0 => (Days(Weekdays, 3).Select(d => Window(d, 6, 12)).ToList(), "America/New_York"),
        1 => (Days(Weekdays, 3).Select(d => Window(d, 18, 22)).ToList(), "Asia/Kolkata"),
        _ => (Days(Weekdays, 3).Select(d => Window(d, 18, 22)).ToList(), "Europe/Madrid"),
    };

    private IEnumerable<DayOfWeek> Days(IReadOnlyList<DayOfWeek> from, int count) => from.OrderBy(_ => random.Next()).Take(count).Order();

    private static AvailabilityWindow Window(DayOfWeek day, int from, int to) => new(day, new TimeOnly(from, 0), new TimeOnly(to, 0));
}
