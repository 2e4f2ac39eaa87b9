using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Dit.Scheduling.Tests;

/// <summary>Issue 14, point 5: mail the patient's server refused for good is listed for coordinators, with the course it belongs to.</summary>
public sealed class UndeliverableMailTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Coordinators_see_each_undeliverable_mail_with_the_patients_initials_newest_first(string provider)
    {
        await using var app = await SchedulingApp.StartAsync(provider);
        await app.AddTherapistAsync("Evening", new(15, 0), new(23, 0));
        var coordinator = await app.NewCoordinatorAsync();
        var bus = app.Services.GetRequiredService<IBus>();
        var referral = new ReferralForBooking(Guid.NewGuid(), "referrer-1",
            [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(18, 0), new TimeOnly(19, 0))], new DateOnly(2027, 3, 1), "Europe/London", "AS", DateTimeOffset.UtcNow);
        await bus.Publish(referral);
        await app.WaitForCountAsync("select count(*) from courses", 1);
        var empty = await coordinator.GetFromJsonAsync<JsonArray>("/api/mail/undeliverable");

        var invite = new MailUndeliverable(referral.ReferralId, "invite", "550 5.1.1 <a***@example.org>: User unknown", 3, DateTimeOffset.UtcNow);
        await bus.Publish(invite);
        await bus.Publish(invite);   // delivered twice: listed once
        var unbooked = new MailUndeliverable(Guid.NewGuid(), "cancellation", "554 5.7.1 rejected", 3, invite.OccurredAt.AddMinutes(1));
        await bus.Publish(unbooked);
        await app.WaitForCountAsync("select count(*) from undeliverable_mail", 2);
        await Task.Delay(500);
        var listed = (await coordinator.GetFromJsonAsync<JsonArray>("/api/mail/undeliverable"))!;
        var anonymous = await app.CreateClient().GetAsync("/api/mail/undeliverable");

        Assert.Empty(empty!);
        Assert.Equal([unbooked.ReferralId, referral.ReferralId], listed.Select(m => m!["referralId"]!.GetValue<Guid>()));
        Assert.Equal("AS", listed[1]!["patientInitials"]!.GetValue<string>());
        Assert.NotNull(listed[1]!["courseId"]);
        Assert.Equal("invite", listed[1]!["kind"]!.GetValue<string>());
        Assert.Equal(invite.Reason, listed[1]!["reason"]!.GetValue<string>());
        Assert.Null(listed[0]!["courseId"]);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
