using System.Collections.Concurrent;

namespace Dit.Scheduling.Booking;

/// <summary>
/// England and Wales bank holidays for any year, by their published rules (the Banking and Financial
/// Dealings Act 1971 and the royal proclamations that fix the May and August days): New Year's Day,
/// Good Friday, Easter Monday, the first and last Mondays of May, the last Monday of August, Christmas
/// Day and Boxing Day, with a substitute weekday when one falls at a weekend. One-off days (a jubilee,
/// a coronation, a moved May day) are proclaimed a year or so ahead: coordinators add or remove them
/// (<see cref="ClosedDays"/>).
/// </summary>
public static class BankHolidays
{
    private static readonly ConcurrentDictionary<int, IReadOnlyDictionary<LocalDate, string>> ByYear = new();

    public static IReadOnlyDictionary<LocalDate, string> In(int year) => ByYear.GetOrAdd(year, Compute);

    private static IReadOnlyDictionary<LocalDate, string> Compute(int year)
    {
        var days = new Dictionary<LocalDate, string>();
        var newYear = new LocalDate(year, 1, 1);
        days[Weekday(newYear)] = newYear.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? "New Year's Day (substitute day)" : "New Year's Day";
        var easter = EasterSunday(year);
        days[easter.PlusDays(-2)] = "Good Friday";
        days[easter.PlusDays(1)] = "Easter Monday";
        days[new LocalDate(year, 5, 1).With(DateAdjusters.NextOrSame(IsoDayOfWeek.Monday))] = "Early May bank holiday";
        days[new LocalDate(year, 5, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday))] = "Spring bank holiday";
        days[new LocalDate(year, 8, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday))] = "Summer bank holiday";

        // Christmas Day and Boxing Day each get a weekday: a day at the weekend is made up on the next free weekday.
        var christmas = new LocalDate(year, 12, 25);
        switch (christmas.DayOfWeek)
        {
            case IsoDayOfWeek.Friday:
                days[christmas] = "Christmas Day";
                days[christmas.PlusDays(3)] = "Boxing Day (substitute day)";
                break;
            case IsoDayOfWeek.Saturday:
                days[christmas.PlusDays(2)] = "Christmas Day (substitute day)";
                days[christmas.PlusDays(3)] = "Boxing Day (substitute day)";
                break;
            case IsoDayOfWeek.Sunday:
                days[christmas.PlusDays(1)] = "Boxing Day";
                days[christmas.PlusDays(2)] = "Christmas Day (substitute day)";
                break;
            default:
                days[christmas] = "Christmas Day";
                days[christmas.PlusDays(1)] = "Boxing Day";
                break;
        }
        return days;
    }

    /// <summary>The day itself, or the Monday after it when it falls at a weekend.</summary>
    private static LocalDate Weekday(LocalDate date) =>
        date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? date.With(DateAdjusters.Next(IsoDayOfWeek.Monday)) : date;

    /// <summary>Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static LocalDate EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new LocalDate(year, month, day);
    }
}
