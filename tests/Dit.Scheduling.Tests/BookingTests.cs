using Dapper;
using Dit.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Scheduling.Tests;

public sealed class BookingTests
{
    private static ReferralForBooking Referral(DateOnly earliest, params AvailabilityWindow[] windows) =>
        new(Guid.NewGuid(), "referrer", windows, earliest, "Europe/London", "AS", DateTimeOffset.UtcNow);

    private static readonly AvailabilityWindow TuesdayEvening = new(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_accepted_referral_is_booked_as_16_weekly_sessions_with_one_therapist(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var referral = Referral(new DateOnly(2027, 3, 1), TuesdayEvening);

        await app.Services.GetRequiredService<IBus>().Publish(referral);

        Assert.Equal(16, await app.WaitForCountAsync("select count(*) from appointments", 16));
        await using var connection = await app.Database.OpenAsync();
        var sessions = (await connection.QueryAsync<(string LocalStart, long StartUtc, string TherapistId)>(
            "select local_start, start_utc, therapist_id from appointments order by session_number")).ToList();
        Assert.Equal(Enumerable.Range(0, 16).Select(w => new LocalDate(2027, 3, 2).PlusWeeks(w).ToString("yyyy-MM-dd", null) + "T18:00"),
            sessions.Select(s => s.LocalStart));
        Assert.Single(sessions.Select(s => s.TherapistId).Distinct());
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "select count(*) from outbox where message_type = 'Dit.Contracts.CourseBooked'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_referrals_for_the_same_hour_go_to_two_therapists_the_next_two_start_when_those_courses_end_and_a_fifth_waits(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("One", new(15, 0), new(23, 0));
        await app.AddTherapistAsync("Two", new(15, 0), new(23, 0));
        var bus = app.Services.GetRequiredService<IBus>();

        foreach (var _ in Enumerable.Range(0, 5)) await bus.Publish(Referral(new DateOnly(2027, 3, 1), TuesdayEvening));

        Assert.Equal(1, await app.WaitForCountAsync("select count(*) from waitlist", 1));
        Assert.Equal(64, await app.ScalarAsync<long>("select count(*) from appointments"));
        Assert.Equal(2, await app.ScalarAsync<long>("select count(distinct therapist_id) from appointments"));
        await using var connection = await app.Database.OpenAsync();
        var firstSessions = (await connection.QueryAsync<string>("select local_start from appointments where session_number = 1 order by local_start")).ToList();
        // Tuesday 2 March twice; the first courses end on 15 June, so the next two start on 22 June (week 17 of 18).
        Assert.Equal(["2027-03-02T18:00", "2027-03-02T18:00", "2027-06-22T18:00", "2027-06-22T18:00"], firstSessions);
        Assert.Equal(1, await app.ScalarAsync<long>("select count(*) from outbox where message_type = 'Dit.Contracts.CourseWaitlisted'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_delivered_twice_is_booked_once(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("One", new(15, 0), new(23, 0));
        await app.AddTherapistAsync("Two", new(15, 0), new(23, 0));
        var bus = app.Services.GetRequiredService<IBus>();
        var referral = Referral(new DateOnly(2027, 3, 1), TuesdayEvening);
        var messageId = NewId.NextGuid();

        await bus.Publish(referral, context => context.MessageId = messageId);
        await bus.Publish(referral, context => context.MessageId = messageId);
        await bus.Publish(Referral(new DateOnly(2027, 3, 1), TuesdayEvening));   // a marker: handled after the duplicate

        Assert.Equal(32, await app.WaitForCountAsync("select count(*) from appointments", 32));
        await Task.Delay(500);
        Assert.Equal(1, await app.ScalarAsync<long>("select count(*) from courses where referral_id = @id", new { id = referral.ReferralId.ToString() }));
        Assert.Equal(2, await app.ScalarAsync<long>("select count(*) from courses"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_database_refuses_a_second_active_appointment_for_a_therapist_at_the_same_time(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var therapist = await app.AddTherapistAsync("One", new(15, 0), new(23, 0));
        await using var connection = await app.Database.OpenAsync();
        await connection.ExecuteAsync(
            """
            insert into courses (id, referral_id, therapist_id, time_zone, weekday, local_time, status, sequence, created_at)
            values ('c1', 'r1', @therapist, 'Europe/London', 2, '18:00', 'booked', 0, 0)
            """, new { therapist = therapist.ToString() });
        const string insert = """
            insert into appointments (id, course_id, therapist_id, session_number, local_start, start_utc, end_utc, status)
            values (@id, 'c1', @therapist, 1, '2027-03-02T18:00', 1000, 4000, @status)
            """;
        await connection.ExecuteAsync(insert, new { id = "a1", therapist = therapist.ToString(), status = "booked" });

        var second = await Record.ExceptionAsync(() => connection.ExecuteAsync(insert, new { id = "a2", therapist = therapist.ToString(), status = "booked" }));
        await connection.ExecuteAsync(insert, new { id = "a3", therapist = therapist.ToString(), status = "cancelled" });

        Assert.NotNull(second);
        Assert.True(app.Database.Dialect.IsUniqueViolation(second));
        Assert.Equal(2, await app.ScalarAsync<long>("select count(*) from appointments"));
    }
}
