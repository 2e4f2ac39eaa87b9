using System.Text.RegularExpressions;
using Dit.Platform;

namespace Dit.Notifications.Tests;

/// <summary>Issue 14, point 9: settings read only when first used are checked when the service starts.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Notifications:Reminders:MinutesBefore", "1440,soon")]
    [InlineData("Notifications:PublicBaseUrl", "dit.example.nhs.uk")]
    [InlineData("Notifications:Mail:Smtp:Port", "smtp")]
    [InlineData("Notifications:Reminders:ClaimSeconds", "-5")]
    public async Task A_bad_value_stops_the_service_at_start_not_at_the_first_mail(string key, string value)
    {
        var app = await NotificationsApp.CreateAsync("sqlite", null, (key, value));

        var said = app.RefusedStart();

        Assert.NotNull(said);
        Assert.Matches($@"{nameof(InvalidSettingException)}: Setting {Regex.Escape(key)} must be [^\n]* \(was '{Regex.Escape(value)}'\)\.", said);
    }
}
