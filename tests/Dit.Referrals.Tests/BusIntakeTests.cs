using Dapper;
using Dit.Contracts;
using Dit.Referrals.Keys;
using MassTransit;
using NodaTime;

namespace Dit.Referrals.Tests;

public sealed class BusIntakeTests
{
    internal static SubmitReferral Command(string referrerId, string reference, string nhsNumber = "9434765919") => new(
        Guid.NewGuid(), referrerId, reference,
        new PatientDetails(nhsNumber, "Alex", "Smith", new DateOnly(1990, 4, 1), "alex@example.org", null),
        [new AvailabilityWindow(DayOfWeek.Tuesday, new TimeOnly(17, 0), new TimeOnly(21, 0))],
        DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)), "Europe/London", new Risk(false, null), new Consent(true, false),
        "anxiety", DateTimeOffset.UtcNow);

    /// <summary>Each rejected command's reference, with the one field its rejection names.</summary>
    internal static async Task<Dictionary<string, string>> RejectedFieldsAsync(ReferralsApp app)
    {
        await using var connection = await app.Database.OpenAsync();
        return (await connection.QueryAsync<string>("select body from outbox where message_type = 'Dit.Contracts.ReferralRejected'"))
            .Select(b => System.Text.Json.JsonSerializer.Deserialize<ReferralRejected>(b, Dit.Platform.Messaging.MessageJson.Options)!)
            .ToDictionary(r => r.ReferrerReference!, r => r.Errors.Keys.Single());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_referral_sent_on_the_bus_is_validated_stored_once_and_a_bad_one_rejected_with_its_fields(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var (referrerId, _) = await Referrers.Holders.AddAsync(app.Database, "Bus-connected service", SystemClock.Instance.GetCurrentInstant());
        var bus = app.Service<IBus>();
        var good = Command(referrerId, "BUS-1");

        await bus.Publish(good);
        // The bus delivers concurrently: let the original land first, so that it, not a later copy, owns BUS-1.
        Assert.True(await ReferralsApp.EventuallyAsync(async () => await app.CountAsync("referrals") == 1));
        await bus.Publish(good with { CommandId = Guid.NewGuid() });                  // the same referral again
        await bus.Publish(Command(referrerId, "BUS-1", nhsNumber: "4010232137"));     // same reference, other patient
        await bus.Publish(Command(referrerId, "BUS-2", nhsNumber: "1234567890"));     // bad NHS number
        await bus.Publish(Command("no-such-referrer", "BUS-3"));

        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            await app.CountAsync("outbox where message_type = 'Dit.Contracts.ReferralRejected'") == 3));
        Assert.Equal(1, await app.CountAsync("referrals"));
        Assert.Equal(1, await app.CountAsync("outbox where message_type = 'Dit.Contracts.ReferralAccepted'"));
        var rejections = await RejectedFieldsAsync(app);
        Assert.Equal("referrerReference", rejections["BUS-1"]);
        Assert.Equal("patient.nhsNumber", rejections["BUS-2"]);
        Assert.Equal("referrerId", rejections["BUS-3"]);
    }
}

/// <summary>Issue 20: the bus door holds the same bounds as the JSON one.</summary>
public sealed class BusIntakeBoundsTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_command_with_a_year_9999_start_or_an_address_the_libraries_refuse_is_rejected_naming_the_field(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var (referrerId, _) = await Referrers.Holders.AddAsync(app.Database, "Bus-connected service", SystemClock.Instance.GetCurrentInstant());
        var bus = app.Service<IBus>();
        var good = BusIntakeTests.Command(referrerId, "BUS-OK");

        await bus.Publish(good with { CommandId = Guid.NewGuid(), ReferrerReference = "BUS-DATE", EarliestStart = new DateOnly(9999, 11, 1) });
        await bus.Publish(good with { CommandId = Guid.NewGuid(), ReferrerReference = "BUS-MAIL", Patient = good.Patient with { Email = "a(evil)@example.org" } });

        Assert.True(await ReferralsApp.EventuallyAsync(async () =>
            await app.CountAsync("outbox where message_type = 'Dit.Contracts.ReferralRejected'") == 2));
        var rejections = await BusIntakeTests.RejectedFieldsAsync(app);
        Assert.Equal("earliestStart", rejections["BUS-DATE"]);
        Assert.Equal("patient.email", rejections["BUS-MAIL"]);
        Assert.Equal(0, await app.CountAsync("referrals"));
    }
}
