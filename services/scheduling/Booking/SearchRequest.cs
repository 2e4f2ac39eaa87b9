namespace Dit.Scheduling.Booking;

/// <summary>
/// What the patient can do: weekly windows in their own zone, from a date; the days the service is closed; and the
/// moment before which no session may start (now plus the lead time), when there is one; and how scarce each weekly time
/// is, when the search should spend scarce times last.
/// </summary>
public sealed record SearchRequest(
    IReadOnlyList<AvailabilityWindow> Windows,
    LocalDate EarliestStart,
    DateTimeZone Zone,
    ClosedDays? ClosedDays = null,
    Instant? NotBefore = null,
    SlotScarcity? Scarcity = null)
{
    /// <summary>The search request for a referral at <paramref name="now"/>: its windows and zone, from the later of its earliest start and now plus the lead time.</summary>
    public static SearchRequest For(ReferralForBooking referral, ClosedDays closedDays, Instant now, BookingRules rules) =>
        For(referral.Availability, LocalDate.FromDateOnly(referral.EarliestStart),
            DateTimeZoneProviders.Tzdb.GetZoneOrNull(referral.TimeZone) ?? rules.ServiceZone, closedDays, now, rules);

    /// <summary>The search request for a patient's windows and zone at <paramref name="now"/>: from the later of their earliest start and now plus the lead time.</summary>
    public static SearchRequest For(IReadOnlyList<AvailabilityWindow> windows, LocalDate earliestStart, DateTimeZone zone, ClosedDays closedDays,
        Instant now, BookingRules rules) =>
        new(windows, earliestStart, zone, closedDays, now + Duration.FromDays(rules.LeadDays));
}
