using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dit.Testing;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// Issue 20: the development host listens where <c>ASPNETCORE_URLS</c> or <c>--urls</c> says (port 5080 is only the
/// default), and the links in patients' mail follow it.
/// </summary>
[Collection(nameof(ProcessesCollection))]
public sealed class DevelopmentHostAddressTests
{
    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("--urls")]
    public async Task The_development_host_listens_where_it_is_told_and_its_mail_links_there(string urlsBy)
    {
        await using var host = ServiceProcess.For("host", new Dictionary<string, string?>(), urlsBy: urlsBy);
        await host.StartAsync();   // answers /health/ready on the port it was given, or this throws
        Assert.Contains($"listening on:     {host.BaseAddress.ToString().TrimEnd('/')}", host.ReadLog());

        using var referrer = host.ClientWithKey("demo-referrer-key");
        var posted = await referrer.PostAsJsonAsync("/api/referrals", ProcessSystem.Referral("address", 0));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var pickup = Path.Combine(host.WorkingDirectory, "data", "pickup");
        string[] Mails() => Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : [];
        await Waiting.UntilAsync(() => Mails().Length == 1, TimeSpan.FromSeconds(30), "the invite");
        var text = MimeMessage.Parse(File.ReadAllText(Mails()[0])).Parts[0].Body;
        var feed = Regex.Match(text, @"http://[^\s""<>]+/calendar/[A-Za-z0-9_-]+\.ics").Value;
        Assert.StartsWith($"{host.BaseAddress.ToString().TrimEnd('/')}/calendar/", feed);
    }
}
