using Dapper;
using Dit.Contracts;
using Dit.Scheduling;
using Dit.Scheduling.Therapists;
using Dit.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.EndToEnd.Tests;

public sealed class BookingRaceTests
{
    [Fact]
    public async Task A_hundred_referrals_racing_through_two_scheduling_processes_are_each_booked_or_waitlisted_and_nobody_is_double_booked()
    {
        var rabbit = await RabbitMqServer.SharedAsync();
        var settings = new Dictionary<string, string?>(await TestDatabases.ConfigureAsync("Scheduling", "postgres"))
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Url"] = await rabbit.CreateVirtualHostAsync("race"),
            // Room for exactly therapists × cap courses: with one start week none can wait for another to end.
            ["Scheduling:Booking:HorizonWeeks"] = "1",
        };
        // Both hosts stand on Monday 4 January 2027, so that the week of 1 March (no bank holiday) is the one searched on any real date.
        var clock = new SettableClock(Instant.FromUtc(2027, 1, 4, 9, 0));
        await using var first = await DistributedSystem.StartHostAsync(settings, [SchedulingService.Definition], clock);
        await using var second = await DistributedSystem.StartHostAsync(settings, [SchedulingService.Definition], clock);
        var database = first.Services.GetRequiredService<SchedulingDatabase>();
        const int therapists = 4, cap = 6;
        for (var i = 0; i < therapists; i++)
            await TherapistRoster.AddAsync(database, $"Therapist {i}", cap,
                [new WeeklyHours(IsoDayOfWeek.Tuesday, new(17, 0), new(21, 0)), new WeeklyHours(IsoDayOfWeek.Thursday, new(17, 0), new(21, 0))],
                SystemClock.Instance.GetCurrentInstant());
        var referrals = Enumerable.Range(0, 100).Select(_ => new ReferralForBooking(Guid.NewGuid(), "referrer-1",
            [
                new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0)),
                new AvailabilityWindow(DayOfWeek.Thursday, new TimeOnly(17, 0), new TimeOnly(21, 0)),
            ],
            new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow)).ToList();

        var bus = first.Services.GetRequiredService<IBus>();
        await Task.WhenAll(referrals.Select(r => bus.Publish(r)));

        await using var connection = await database.OpenAsync();
        var decided = await Waiting.ForAsync(() => connection.ExecuteScalarAsync<long>("select (select count(*) from courses) + (select count(*) from waitlist)"),
            n => n >= 100, TimeSpan.FromSeconds(60));
        Assert.Equal(100, decided);
        var booked = await connection.ExecuteScalarAsync<long>("select count(*) from courses");
        Assert.Equal(therapists * cap, booked);   // every place taken, and no more
        Assert.Equal(100 - booked, await connection.ExecuteScalarAsync<long>("select count(*) from waitlist"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "select count(*) from (select referral_id from courses group by referral_id having count(*) > 1) twice"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "select count(*) from courses c join waitlist w on w.referral_id = c.referral_id"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "select count(*) from (select course_id from appointments group by course_id having count(*) <> 16) short"));
        // No therapist has two sessions that overlap, nor more than the cap in any week.
        var sessions = (await connection.QueryAsync<(string TherapistId, long Start, long End)>(
            "select therapist_id, start_utc, end_utc from appointments where status = 'booked' order by therapist_id, start_utc")).ToList();
        Assert.All(sessions.Zip(sessions.Skip(1)).Where(p => p.First.TherapistId == p.Second.TherapistId),
            p => Assert.True(p.Second.Start >= p.First.End, $"{p.First} overlaps {p.Second}"));
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var perWeek = sessions.GroupBy(s => (s.TherapistId, Week: Instant.FromUnixTimeMilliseconds(s.Start).InZone(london).Date
            .With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday))));
        Assert.All(perWeek, week => Assert.True(week.Count() <= cap, $"{week.Key}: {week.Count()} sessions"));
        var referralIds = referrals.Select(r => r.ReferralId.ToString()).ToHashSet();
        Assert.Equal(referralIds, (await connection.QueryAsync<string>("select referral_id from courses union select referral_id from waitlist")).ToHashSet());
    }
}
