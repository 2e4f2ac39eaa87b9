using NodaTime;
using NodaTime.Text;

namespace Dit.Platform.Http;

/// <summary>
/// The one rule for every date and local date-time the product takes from a caller (leave, closed days, diary ranges,
/// moves): a real ISO value within <see cref="YearsAround"/> years of today. Nothing outside it reaches the code behind
/// the door, so no arithmetic there can overflow NodaTime's range (year 9999 did: issue 20). The referral's earliest
/// start has its own, tighter bound (the booking horizon) on top of this one.
/// </summary>
public static class DateInput
{
    public const int YearsAround = 5;

    private static readonly LocalDateTimePattern LocalDateTime = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    public static LocalDate Earliest(LocalDate today) => today.PlusYears(-YearsAround);

    public static LocalDate Latest(LocalDate today) => today.PlusYears(YearsAround);

    public static bool IsNear(LocalDate date, LocalDate today) => date >= Earliest(today) && date <= Latest(today);

    /// <summary>What a caller is told when a date is real but too far from today.</summary>
    public static string NearMessage(LocalDate today) =>
        $"A date from {LocalDatePattern.Iso.Format(Earliest(today))} to {LocalDatePattern.Iso.Format(Latest(today))} (within {YearsAround} years of today).";

    /// <summary>A date, YYYY-MM-DD, near today; or null with the message for the caller.</summary>
    public static LocalDate? ReadDate(string? text, LocalDate today, out string? error)
    {
        var parsed = text is null ? null : LocalDatePattern.Iso.Parse(text);
        if (parsed is not { Success: true })
        {
            error = "A date, YYYY-MM-DD.";
            return null;
        }
        error = IsNear(parsed.Value, today) ? null : NearMessage(today);
        return error is null ? parsed.Value : null;
    }

    /// <summary>A local date and time, YYYY-MM-DDTHH:mm, near today; or null with the message for the caller.</summary>
    public static LocalDateTime? ReadLocalDateTime(string? text, LocalDate today, out string? error)
    {
        var parsed = text is null ? null : LocalDateTime.Parse(text);
        if (parsed is not { Success: true })
        {
            error = "A local date and time, YYYY-MM-DDTHH:mm.";
            return null;
        }
        error = IsNear(parsed.Value.Date, today) ? null : NearMessage(today);
        return error is null ? parsed.Value : null;
    }
}
