using System.ComponentModel.DataAnnotations;

namespace Dit.Scheduling.Booking;

/// <summary>
/// What a service may change of how it books, section <c>Scheduling:Booking</c>: the hours a weekly time may start
/// (<c>FirstStart</c>–<c>LastStart</c>, whole hours, default 07:00–22:00), the lead time before a first session
/// (<c>LeadDays</c>, 2), how many start weeks the search tries (<c>HorizonWeeks</c>, 18) and how many closed weeks a
/// course may skip (<c>MaxSkippedWeeks</c>, 2), how many weeks whose regular time is taken may move within their week
/// (<c>MaxMovedTakenWeeks</c>, 2), and whether, among the starts of one week, the search spends the times the clinic's
/// patients most want last (<c>ScarceTimesLast</c>, false; <see cref="SlotScarcity"/>). The course's own shape is not a setting (<see cref="Dit.Contracts.CourseShape"/>).
/// </summary>
public sealed class BookingSettings : ICheckedSettings
{
    public const string Section = "Scheduling:Booking";
    private const string WholeHour = @"^([01][0-9]|2[0-3]):00$";

    [SettingPattern(WholeHour, "a whole hour, HH:00")]
    public string FirstStart { get; set; } = "07:00";

    [SettingPattern(WholeHour, "a whole hour, HH:00")]
    public string LastStart { get; set; } = "22:00";

    [Range(0, 365)]
    public int LeadDays { get; set; } = 2;

    [Range(1, 104)]
    public int HorizonWeeks { get; set; } = 18;

    [Range(0, 8)]
    public int MaxSkippedWeeks { get; set; } = 2;

    /// <summary>
    /// True tries, among the starts of one week, the times the clinic's patients least want first. Off by default: on the
    /// clinic simulation's seeds it did slightly worse than the earliest start (docs/booking-quality.md).
    /// </summary>
    public bool ScarceTimesLast { get; set; }

    /// <summary>
    /// How many weeks of a course whose regular time the therapist already has taken (by another course's session) may move
    /// to the nearest free time that week inside the patient's windows, rather than the weekly time being refused.
    /// </summary>
    [Range(0, 8)]
    public int MaxMovedTakenWeeks { get; set; } = 2;

    public void CheckTogether(string section)
    {
        var rules = ToRules(Dit.Contracts.CoursePhases.Standard);
        if (rules.FirstStart > rules.LastStart || rules.FirstStart < rules.DayOpens || rules.LastStart.Plus(rules.SessionPeriod) > rules.DayCloses)
            throw new InvalidSettingException($"{section}:LastStart", $"a whole hour from FirstStart ({FirstStart}) to 22:00, so that a session ends by 23:00", LastStart);
    }

    public BookingRules ToRules(Dit.Contracts.CoursePhases phases) => new(
        Dit.Contracts.CourseShape.Standard with { Phases = phases },
        Hour(FirstStart), Hour(LastStart), LeadDays, HorizonWeeks, MaxSkippedWeeks, ScarceTimesLast, MaxMovedTakenWeeks);

    private static NodaTime.LocalTime Hour(string text) => new(int.Parse(text[..2], System.Globalization.CultureInfo.InvariantCulture), 0);
}
