using Dit.Platform;

namespace Dit.Referrals.Tests;

/// <summary>Issue 14, point 9: a bad setting stops the service at start with a message naming it.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Referrals:Intake:MinimumAge", "eighteen", "Setting Referrals:Intake:MinimumAge must be a whole number from 0 to 120 (was 'eighteen').")]
    [InlineData("RateLimit:PermitLimit", "0", "Setting RateLimit:PermitLimit must be a whole number from 1 to 100000000 (was '0').")]
    [InlineData("Bus:Transport", "Kafka", "Setting Bus:Transport must be one of InMemory, RabbitMq (was 'Kafka').")]
    [InlineData("Bus:Retry:MaxIntervalSeconds", "ten", "Setting Bus:Retry:MaxIntervalSeconds must be a number of seconds from 0.05 to 3600 (was 'ten').")]
    public async Task A_bad_value_stops_the_service_at_start_with_a_message_naming_the_setting(string key, string value, string message)
    {
        var app = await ReferralsApp.CreateAsync("sqlite", (key, value));

        Assert.Contains($"{nameof(InvalidSettingException)}: {message}", app.RefusedStart());
    }

    [Fact]
    public async Task A_broker_URL_with_a_password_is_refused_without_showing_the_password()
    {
        var app = await ReferralsApp.CreateAsync("sqlite", ("Bus:Transport", "RabbitMq"), ("Bus:RabbitMq:Url", "http://dit:s3cret@broker/"));

        var said = app.RefusedStart();

        Assert.Contains($"{nameof(InvalidSettingException)}: Setting Bus:RabbitMq:Url must be an absolute amqp or amqps URL (was 'http://dit:***@broker/').", said);
        Assert.DoesNotContain("s3cret", said);
    }
}
