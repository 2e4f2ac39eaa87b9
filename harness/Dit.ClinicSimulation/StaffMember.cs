using NodaTime;

namespace Dit.ClinicSimulation;

/// <summary>A fortnight's leave, booked <c>BookOnDay</c> (30 days before it starts).</summary>
public sealed record LeaveBlock(int BookOnDay, LocalDate From, LocalDate To);

/// <summary>
/// A simulated therapist: the kind (0 weekday days, 1 late shifts, 2 part-time on three days, 3 weekends plus two
/// weekdays), the weekly hours (UK time), the leave they will book (three fortnights a year, one in each third, each
/// booked a month ahead), and the day they left the clinic, if they did. Both simulations (<see cref="ClinicYear"/>,
/// <see cref="FastClinicYear"/>) make their staff here, from the same seeded source.
/// </summary>
public sealed class StaffMember(int kind, IReadOnlyList<(IsoDayOfWeek Day, LocalTime From, LocalTime To)> hours, List<LeaveBlock> leave)
{
    public int Kind => kind;

    public IReadOnlyList<(IsoDayOfWeek Day, LocalTime From, LocalTime To)> Hours => hours;

    public List<LeaveBlock> Leave => leave;

    public int? LeftOnDay { get; private set; }

    public static StaffMember Make(Random random, int kind, int joinDay)
    {
        IsoDayOfWeek[] weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];
        var days = kind switch
        {
            0 or 1 => weekdays,
            2 => weekdays.OrderBy(_ => random.Next()).Take(3).ToArray(),
            _ => new[] { IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday }.Concat(weekdays.OrderBy(_ => random.Next()).Take(2)).ToArray(),
        };
        var (from, to) = kind == 1 ? (new LocalTime(15, 0), new LocalTime(23, 0)) : (new LocalTime(9, 0), new LocalTime(17, 0));
        var leave = new List<LeaveBlock>();
        for (var block = 0; block < 3; block++)
        {
            var start = ClinicSetup.FirstDay.PlusDays(block * 121 + random.Next(14, 100)).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
            var bookOn = Period.Between(ClinicSetup.FirstDay, start, PeriodUnits.Days).Days - 30;
            if (bookOn >= joinDay) leave.Add(new LeaveBlock(Math.Max(bookOn, 0), start, start.PlusDays(13)));
        }
        return new StaffMember(kind, days.Select(d => (d, from, to)).ToList(), leave);
    }

    /// <summary>Leaves the clinic on <paramref name="day"/>: the leave not yet booked is never taken.</summary>
    public void LeaveClinic(int day)
    {
        LeftOnDay = day;
        leave.RemoveAll(l => l.BookOnDay > day);
    }

    public bool OnLeave(LocalDate date) => leave.Any(l => date >= l.From && date <= l.To);

    /// <summary>
    /// The year's evening sessions (17:00–21:00 on a weekday, four starts an evening): every late-shift therapist's working
    /// weekday, less their leave and the days after they left. ÷ 16 it bounds the evening-only courses the year can start.
    /// </summary>
    public static int EveningSlots(IEnumerable<StaffMember> staff, int days)
    {
        var slots = 0;
        foreach (var member in staff.Where(s => s.Kind == 1))
        {
            for (var day = 0; day < days; day++)
            {
                var date = ClinicSetup.FirstDay.PlusDays(day);
                if (date.DayOfWeek > IsoDayOfWeek.Friday || day >= member.LeftOnDay || member.OnLeave(date)) continue;
                slots += 4;
            }
        }
        return slots;
    }
}
