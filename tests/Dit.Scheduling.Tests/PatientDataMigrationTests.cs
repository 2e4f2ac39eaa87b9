using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using Dit.Scheduling.Waitlist;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Scheduling.Tests;

/// <summary>Issue 13: scheduling keeps no NHS number, name, birth date or contact details — rows from before included.</summary>
public sealed class PatientDataMigrationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_waiting_from_before_loses_its_patient_details_to_migration_0007_and_is_still_booked_from_the_waitlist(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        // ReferralAccepted as it was before issue 13: the whole patient and the times.
        var old = new
        {
            ReferralId = Guid.NewGuid(), ReferrerId = "referrer-1",
            Patient = new PatientDetails("9434765919", "Alex", "Smith", new DateOnly(1990, 4, 1), "alex@example.org", "+447700900123"),
            Consent = new Consent(true, true),
            Availability = new[] { new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0)) },
            EarliestStart = new DateOnly(2027, 3, 1), TimeZone = "Europe/London", OccurredAt = DateTimeOffset.UtcNow,
        };
        await using (var connection = await app.Database.OpenAsync())
        {
            // A row as scheduling wrote it before: the whole ReferralAccepted. Then the migration, as it runs on such a database.
            await connection.ExecuteAsync("insert into waitlist (referral_id, request_json, reason, since) values (@id, @json, 'full', 0)",
                new { id = old.ReferralId.ToString(), json = JsonSerializer.Serialize(old, MessageJson.Options) });
            await connection.ExecuteAsync(await MigrationAsync(provider == "sqlite" ? "sqlite" : "postgres"));
        }

        var stored = await app.ScalarAsync<string>("select request_json from waitlist");
        foreach (var personal in new[] { "9434765919", "Alex", "Smith", "1990", "alex@example.org", "+447700900123", "consent" })
            Assert.DoesNotContain(personal, stored, StringComparison.OrdinalIgnoreCase);
        var forBooking = JsonSerializer.Deserialize<ReferralForBooking>(stored, MessageJson.Options)!;
        Assert.Equal((old.ReferralId, "AS", old.EarliestStart, "Europe/London"), (forBooking.ReferralId, forBooking.PatientInitials, forBooking.EarliestStart, forBooking.TimeZone));
        Assert.Equal(old.Availability, forBooking.Availability);

        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        Assert.Equal(1, await app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<WaitlistRetry>().Single().RetryAsync(CancellationToken.None));
        Assert.Equal("AS", await app.ScalarAsync<string>("select patient_initials from courses where referral_id = @id", new { id = old.ReferralId.ToString() }));
    }

    private static async Task<string> MigrationAsync(string dialect)
    {
        var assembly = typeof(SchedulingDatabase).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"0007_waitlist_without_patient_details.{dialect}.sql", StringComparison.Ordinal));
        await using var stream = assembly.GetManifestResourceStream(name)!;
        return await new StreamReader(stream).ReadToEndAsync();
    }
}
