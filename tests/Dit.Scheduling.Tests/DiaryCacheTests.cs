using Dapper;
using Dit.Contracts;
using Dit.Scheduling.Booking;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Scheduling.Tests;

/// <summary>Diaries kept in the scheduling process (issue 12, point 10) stay true to the database, whoever writes it.</summary>
public sealed class DiaryCacheTests
{
    private static ReferralForBooking Referral() => new(Guid.NewGuid(), "referrer",
        [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0))], new DateOnly(2027, 3, 1), "Europe/London", "AS",
        DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_cancellation_or_leave_written_by_another_process_is_seen_by_the_next_booking_which_rereads_only_that_therapist(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        var first = await app.AddTherapistAsync("First", new(15, 0), new(23, 0));
        var second = await app.AddTherapistAsync("Second", new(15, 0), new(23, 0));
        var lighterByTie = first.CompareTo(second) < 0 ? first : second;
        var other = lighterByTie == first ? second : first;
        var cache = app.Services.GetRequiredService<DiaryCache>();

        // Both free: the tie goes to the same therapist, 2 March 18:00; the next course sees that booking and goes to the
        // other therapist the same evening (one diary read again: the one just written).
        Assert.Equal((lighterByTie, "2027-03-02T18:00"), await BookAsync(app, 1));
        Assert.Equal((1, 0), cache.Reads);
        Assert.Equal((other, "2027-03-02T18:00"), await BookAsync(app, 2));
        Assert.Equal((1, 1), cache.Reads);

        // Another scheduling process cancels both courses (a plain write to the shared database): the next booking
        // takes the freed time with the first therapist again. Diaries kept from before would have both full that evening.
        await using (var connection = await app.Database.OpenAsync())
            await connection.ExecuteAsync("update appointments set status = 'cancelled' where status = 'booked'");
        Assert.Equal((lighterByTie, "2027-03-02T18:00"), await BookAsync(app, 3));
        Assert.Equal((1, 3), cache.Reads);

        // Again, and this time the other process also puts that therapist on leave on 2 March: the next course goes to
        // the other therapist the same evening. Only that therapist's diary has changed.
        await using (var connection = await app.Database.OpenAsync())
        {
            await connection.ExecuteAsync("update appointments set status = 'cancelled' where status = 'booked'");
            await connection.ExecuteAsync(
                "insert into leave (id, therapist_id, from_date, to_date, reason, created_at) values (@id, @therapist, '2027-03-02', '2027-03-02', null, 0)",
                new { id = Guid.NewGuid().ToString(), therapist = lighterByTie.ToString() });
        }
        Assert.Equal((other, "2027-03-02T18:00"), await BookAsync(app, 4));
        Assert.Equal((1, 4), cache.Reads);
    }

    /// <summary>Publishes a referral, waits for its course, and gives its therapist and first session.</summary>
    private static async Task<(Guid Therapist, string FirstSession)> BookAsync(SchedulingApp app, int coursesBefore)
    {
        var referral = Referral();
        await app.Services.GetRequiredService<IBus>().Publish(referral);
        Assert.Equal(coursesBefore, await app.WaitForCountAsync("select count(*) from courses", coursesBefore));
        await using var connection = await app.Database.OpenAsync();
        var (therapist, firstSession) = await connection.QuerySingleAsync<(string, string)>(
            """
            select c.therapist_id, a.local_start from courses c join appointments a on a.course_id = c.id and a.session_number = 1
            where c.referral_id = @id
            """, new { id = referral.ReferralId.ToString() });
        return (Guid.Parse(therapist), firstSession);
    }
}
