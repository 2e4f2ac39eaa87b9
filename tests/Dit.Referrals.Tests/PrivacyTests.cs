using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Contracts;
using MassTransit;

namespace Dit.Referrals.Tests;

public sealed class PrivacyTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_logs_of_a_run_of_referrals_hold_no_NHS_number_name_email_or_mobile(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var client = await app.NewReferrerAsync();
        var patients = new[]
        {
            (Nhs: "9434765919", Given: "Quentin", Family: "Marchbanks", Email: "quentin.marchbanks@example.org", Mobile: "07700900111"),
            (Nhs: "4010232137", Given: "Rosalind", Family: "Featherstonehaugh", Email: "rosalind.f@example.org", Mobile: "07700900222"),
            (Nhs: "9876543210", Given: "Tobias", Family: "Wainwright", Email: "tobias.w@example.org", Mobile: "07700900333"),
        };
        foreach (var (p, i) in patients.Select((p, i) => (p, i)))
        {
            var body = Referral.Valid($"PRIV-{i}");
            body["patient"] = new JsonObject
            {
                ["nhsNumber"] = p.Nhs, ["givenName"] = p.Given, ["familyName"] = p.Family, ["dateOfBirth"] = "1980-01-01",
                ["email"] = p.Email, ["mobile"] = p.Mobile,
            };
            var posted = await client.PostAsJsonAsync("/api/referrals", body);
            await client.PostAsJsonAsync("/api/referrals", body);                                          // a repeat
            body["patient"]!["givenName"] = p.Given + "x";
            await client.PostAsJsonAsync("/api/referrals", body);                                          // a conflict
            body["patient"]!["dateOfBirth"] = "1980-02-30";
            await client.PostAsJsonAsync("/api/referrals", Referral.With("patient.email", p.Email + "@@", $"BAD-{i}")); // invalid
            var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            await app.Service<IBus>().Publish(new CourseWaitlisted(id, "No therapist free", DateTimeOffset.UtcNow));
        }
        Assert.True(await ReferralsApp.EventuallyAsync(async () => await app.CountAsync("referrals where status = 'waitlisted'") == 3));

        var logs = string.Join("\n", app.Logs.Lines);
        Assert.Contains("*******919", logs);   // the masked form is what the logs use
        foreach (var p in patients)
        {
            foreach (var secret in new[] { p.Nhs, p.Given, p.Family, p.Email, p.Mobile, "+44" + p.Mobile[1..] })
                Assert.DoesNotContain(secret, logs);
        }
    }
}
