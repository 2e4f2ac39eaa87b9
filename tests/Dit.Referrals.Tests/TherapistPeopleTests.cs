using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Contracts;
using Dit.Testing;
using MassTransit;

namespace Dit.Referrals.Tests;

/// <summary>
/// Referrals shows a patient's name and contact details to the therapist who holds the course now (issue 22): it follows
/// the course's therapist through bookings and reassignments, and who each therapist is through scheduling's
/// <see cref="TherapistPeople"/> — the newest set, whatever order they arrive in.
/// </summary>
public sealed class TherapistPeopleTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_patients_therapist_is_the_one_holding_the_course_now_and_an_older_set_of_people_arriving_late_changes_nothing(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var response = await client.PostAsJsonAsync("/api/referrals", Referral.Valid());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var bus = app.Service<IBus>();
        var booked = TestCourse.Booked(id);
        var other = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        await bus.Publish(new TherapistPeople([new(booked.TherapistId, "person-a"), new(other, "person-b")], now));
        await bus.Publish(new TherapistPeople([new(booked.TherapistId, "someone-before"), new(other, null)], now.AddMinutes(-1)));
        await bus.Publish(booked);
        async Task<string?> HolderAsync()
        {
            await using var connection = await app.Database.OpenAsync();
            return await connection.QuerySingleOrDefaultAsync<string>(
                "select p.person_id from referrals r join therapist_people p on p.therapist_id = r.therapist_id where r.id = @id and r.status = 'booked'",
                new { id = id.ToString() });
        }
        async Task<long> SetsTakenInAsync()
        {
            await using var connection = await app.Database.OpenAsync();
            return await connection.ExecuteScalarAsync<long>("select count(*) from inbox where consumer = 'LearnTherapistPeople'");
        }
        // Both sets taken in (in whichever order they came) and the booking shown: the newer set holds.
        await Waiting.UntilAsync(async () => await SetsTakenInAsync() == 2 && await HolderAsync() is not null, TimeSpan.FromSeconds(20), "both sets and the booking");
        Assert.Equal("person-a", await HolderAsync());
        Assert.Equal(2, await app.CountAsync("therapist_people"));

        // Reassigned from session 5 to the other therapist: theirs now.
        await bus.Publish(new CourseReassigned(booked.CourseId, id, 5, other, "Sam Second", [], 1, DateTimeOffset.UtcNow));
        Assert.Equal("person-b", await Waiting.ForAsync(HolderAsync, person => person == "person-b", TimeSpan.FromSeconds(20)));
    }
}
