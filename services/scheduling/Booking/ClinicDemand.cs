using System.Text.Json;

namespace Dit.Scheduling.Booking;

/// <summary>One patient's windows in their zone; <c>WaitingSince</c> when they are on the waitlist, null for a booked course.</summary>
public sealed record PatientWindows(IReadOnlyList<AvailabilityWindow> Windows, DateTimeZone Zone, Instant? WaitingSince);

/// <summary>
/// The clinic's demand as the scheduling database has it: every waiting referral's windows, and the windows of every
/// course referred since a moment. Read by <see cref="ScarcityCache"/> (last 4 weeks) and the demand-and-capacity
/// figures (last 12 weeks).
/// </summary>
public static class ClinicDemand
{
    public static async Task<List<PatientWindows>> LoadAsync(DbConnection connection, DbTransaction? transaction, Instant coursesReferredSince,
        BookingRules rules)
    {
        var patients = new List<PatientWindows>();
        foreach (var (json, since) in await connection.QueryAsync<(string, long)>("select request_json, since from waitlist", transaction: transaction))
        {
            var referral = JsonSerializer.Deserialize<ReferralForBooking>(json, MessageJson.Options);
            if (referral?.Availability is { Count: > 0 } windows)
                patients.Add(new PatientWindows(windows, ZoneOf(referral.TimeZone, rules), Instant.FromUnixTimeMilliseconds(since)));
        }
        foreach (var (availability, zone) in await connection.QueryAsync<(string, string)>(
                     "select availability_json, time_zone from courses where referred_at >= @since and availability_json is not null",
                     new { since = coursesReferredSince.ToUnixTimeMilliseconds() }, transaction))
        {
            if (JsonSerializer.Deserialize<List<AvailabilityWindow>>(availability, MessageJson.Options) is { Count: > 0 } windows)
                patients.Add(new PatientWindows(windows, ZoneOf(zone, rules), null));
        }
        return patients;
    }

    private static DateTimeZone ZoneOf(string? id, BookingRules rules) =>
        (id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)) ?? rules.ServiceZone;
}
