using Dit.Scheduling.Booking;
using NodaTime;

namespace Dit.Scheduling.Tests;

public sealed class BankHolidaysTests
{
    private static IEnumerable<string> Days(int year) => BankHolidays.In(year).Keys.Order().Select(d => d.ToString("yyyy-MM-dd", null));

    [Fact]
    public void The_rules_give_the_England_and_Wales_bank_holidays_published_on_gov_uk_for_2026_to_2028()
    {
        Assert.Equal(["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"], Days(2026));
        Assert.Equal(["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"], Days(2027));
        Assert.Equal(["2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"], Days(2028));
    }

    [Fact]
    public void Substitute_days_follow_a_Christmas_on_a_Sunday_or_a_Saturday_and_a_New_Year_at_the_weekend()
    {
        // 2033: Christmas on a Sunday → Boxing Day Monday 26th, Christmas substitute Tuesday 27th.
        Assert.Equal("Christmas Day (substitute day)", BankHolidays.In(2033)[new LocalDate(2033, 12, 27)]);
        Assert.Equal("Boxing Day", BankHolidays.In(2033)[new LocalDate(2033, 12, 26)]);
        // 2032: Christmas on a Saturday → Monday 27th and Tuesday 28th.
        Assert.Contains(new LocalDate(2032, 12, 27), BankHolidays.In(2032).Keys);
        Assert.Contains(new LocalDate(2032, 12, 28), BankHolidays.In(2032).Keys);
        // 2034: New Year's Day on a Sunday → Monday 2 January.
        Assert.Equal("New Year's Day (substitute day)", BankHolidays.In(2034)[new LocalDate(2034, 1, 2)]);
    }

    [Theory]
    [InlineData(2029, 4, 1)]
    [InlineData(2031, 4, 13)]
    [InlineData(2038, 4, 25)]
    [InlineData(2035, 3, 25)]
    public void Easter_falls_on_its_published_date(int year, int month, int day)
    {
        Assert.Equal(new LocalDate(year, month, day), BankHolidays.EasterSunday(year));
        Assert.Contains(new LocalDate(year, month, day).PlusDays(-2), BankHolidays.In(year).Keys);
        Assert.Contains(new LocalDate(year, month, day).PlusDays(1), BankHolidays.In(year).Keys);
    }

    [Fact]
    public void Every_year_to_2100_has_eight_bank_holidays_on_weekdays()
    {
        for (var year = 2026; year <= 2100; year++)
        {
            Assert.Equal(8, BankHolidays.In(year).Count);
            Assert.All(BankHolidays.In(year).Keys, d => Assert.True(d.DayOfWeek < IsoDayOfWeek.Saturday, $"{d} is at a weekend"));
        }
    }

    [Fact]
    public void A_coordinator_can_open_a_bank_holiday_and_close_a_one_off_day()
    {
        var closed = new ClosedDays(new Dictionary<LocalDate, string> { [new LocalDate(2030, 6, 3)] = "Staff training" },
            new HashSet<LocalDate> { new(2030, 5, 27) });

        Assert.True(closed.Contains(new LocalDate(2030, 6, 3)));
        Assert.False(closed.Contains(new LocalDate(2030, 5, 27)));   // Spring bank holiday, opened
        Assert.True(closed.Contains(new LocalDate(2030, 8, 26)));    // Summer bank holiday
    }
}
