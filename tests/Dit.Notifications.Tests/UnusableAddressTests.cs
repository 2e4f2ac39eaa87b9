using Dit.Testing;
using Dit.Platform;
using Ical.Net.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Dit.Notifications.Tests;

/// <summary>
/// An address is valid only if everything that will use it takes it as itself (issue 20): checked against the real
/// libraries, and an address that slipped past the door never stalls anyone's mail.
/// </summary>
public sealed class UnusableAddressTests
{
    private static readonly string[] Usable =
    [
        "alex@example.org", "alex.o'brien+dit@example.co.uk", "ALEX_SMITH-1@mail.example-nhs.org", "o'brien+dit=1@example.org", "x@xn--bcher-kva.example",
    ];

    // The probe's addresses (Ical.Net threw on the first three, MimeKit on the next two, and read the sixth as a@example.org).
    private static readonly string[] Unusable =
    [
        "a\"b@evil.org", "a\\b@example.org", "\"><svg/onload=alert(1)>@evil.org", "a;b@example.org", "a%0d%0aBcc:x@example.org", "a(evil)@example.org",
        "Alex <alex@example.org>", "\"alex smith\"@example.org", "alex@[127.0.0.1]", "alex@example", "alex@@example.org", "alex@example.org\r\nBcc: x@y.org",
        "a!#$%&*/=?^`{|}~@example.org",   // an RFC 5322 atom, but not a well-formed mailto: URI
    ];

    [Fact]
    public void Every_address_the_rule_takes_is_read_as_itself_by_MimeKit_and_named_as_itself_in_the_calendar_and_the_rest_are_refused()
    {
        foreach (var address in Usable)
        {
            Assert.True(ContactAddresses.EmailProblem(address) is null, $"{address}: {ContactAddresses.EmailProblem(address)}");
            Assert.Equal(address, MailboxAddress.Parse(address).GetAddress(idnEncode: true));   // as it goes on the wire
            var calendar = new Ical.Net.Calendar();
            var calendarEvent = new Ical.Net.CalendarComponents.CalendarEvent();
            calendarEvent.Attendees.Add(new Ical.Net.DataTypes.Attendee($"mailto:{address}"));
            calendar.Events.Add(calendarEvent);
            var text = new CalendarSerializer().SerializeToString(calendar)!.Replace("\r\n ", "");
            Assert.Contains($"ATTENDEE:mailto:{address}\r\n", text);
        }
        foreach (var address in Unusable) Assert.NotNull(ContactAddresses.EmailProblem(address));
        // Why "parses" is not enough: MimeKit takes this one, as another address.
        Assert.Equal("a@example.org", MailboxAddress.Parse("a(evil)@example.org").Address);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_address_that_slipped_past_the_door_is_undeliverable_at_once_and_the_next_patients_invite_is_not_held_up(string provider)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var bus = app.Services.GetRequiredService<IBus>();
        var poisoned = Guid.NewGuid();
        await bus.Publish(TestCourse.Accepted(poisoned, address: "a\"b@evil.org"));
        await bus.Publish(TestCourse.Booked(poisoned));
        var good = await app.BookTestCourseAsync();

        var mail = Assert.Single(await app.WaitForMailsAsync(1));
        Assert.Contains("To: alex@example.org", mail);
        Assert.Equal(1, await app.CountAsync("select count(*) from calendar_series where referral_id = @id", new { id = poisoned.ToString() }));
        Assert.Equal(0, await app.CountAsync("select count(*) from outgoing_mail where referral_id = @id", new { id = poisoned.ToString() }));
        Assert.StartsWith("undeliverable: Not an email address we can send to",
            await app.ScalarTextAsync("select outcome from message_log where referral_id = @id", new { id = poisoned.ToString() }));
        Assert.Equal(1, await app.CountAsync("select count(*) from outbox where message_type = @type and body like @referral",
            new { type = typeof(Dit.Contracts.MailUndeliverable).FullName, referral = $"%{poisoned}%" }));
        Assert.Equal(0, await app.CountAsync("select count(*) from outbox where destination is not null"));   // nothing handed back for later
        Assert.NotEqual(good.ReferralId, poisoned);
    }
}

/// <summary>
/// Issue 20: a mail already queued to an address MimeKit cannot read, or would read as another, is undeliverable at once —
/// not retried as if the server were down, not sent elsewhere.
/// </summary>
public sealed class UnbuildableMailTests
{
    [Theory]
    [InlineData("sqlite", "a;b@example.org")]        // MimeKit refuses it
    [InlineData("postgres", "a;b@example.org")]
    [InlineData("sqlite", "a(evil)@example.org")]    // MimeKit would mail a@example.org
    public async Task A_queued_mail_MimeKit_cannot_build_is_undeliverable_at_its_first_try_with_the_reason(string provider, string address)
    {
        await using var app = await NotificationsApp.StartAsync(provider);
        var database = app.Services.GetRequiredService<NotificationsDatabase>();
        var referralId = Guid.NewGuid().ToString();
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // As a mail queued before the door refused such addresses would be.
            await Dit.Notifications.Mail.MailQueue.AddAsync(connection, transaction, new Dit.Notifications.Mail.CalendarMail(
                referralId, "invite", address, "Your sessions", "text", "<p>html</p>", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "REQUEST"),
                NodaTime.SystemClock.Instance.GetCurrentInstant());
            await transaction.CommitAsync();
        }
        await app.BookTestCourseAsync();

        Assert.Contains("To: alex@example.org", Assert.Single(await app.WaitForMailsAsync(1)));   // the next patient's invite is not held up
        await Dit.Testing.Waiting.UntilAsync(async () => await app.CountAsync("select count(*) from outgoing_mail where undeliverable_at is not null") == 1,
            TimeSpan.FromSeconds(20), "the mail marked undeliverable");
        Assert.Equal(1, await app.CountAsync("select attempts from outgoing_mail where referral_id = @id", new { id = referralId }));
        Assert.StartsWith("undeliverable: ", await app.ScalarTextAsync("select outcome from message_log where referral_id = @id", new { id = referralId }));
        Assert.Equal(1, await app.CountAsync("select count(*) from outbox where message_type = @type and body like @referral",
            new { type = typeof(Dit.Contracts.MailUndeliverable).FullName, referral = $"%{referralId}%" }));
    }
}
