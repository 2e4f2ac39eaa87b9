using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Dit.Platform.Audit;

namespace Dit.Referrals.Tests;

/// <summary>Each referral endpoint's read or change is on the referrals service's audit trail as the referrer whose key made it.</summary>
public sealed class AuditTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Submitting_reading_finding_and_withdrawing_a_referral_each_leave_a_row_naming_the_referrer(string provider)
    {
        await using var app = await ReferralsApp.StartAsync(provider);
        var referrer = await app.NewReferrerAsync("Service A");
        var other = await app.NewReferrerAsync("Service B");
        var posted = await referrer.PostAsJsonAsync("/api/referrals", Referral.Valid("AUD-1"));
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        Assert.True((await referrer.GetAsync($"/api/referrals/{id}")).IsSuccessStatusCode);
        Assert.True((await referrer.GetAsync("/api/referrals?reference=AUD-1")).IsSuccessStatusCode);
        Assert.False((await other.GetAsync($"/api/referrals/{id}")).IsSuccessStatusCode);   // refused: nothing shown, nothing recorded
        Assert.True((await referrer.PostAsJsonAsync($"/api/referrals/{id}/withdraw", new { reason = "Patient moved away" })).IsSuccessStatusCode);

        await using var connection = await app.Database.OpenAsync();
        var holder = await connection.QuerySingleAsync<string>("select id from referrers where name = 'Service A'");
        var rows = (await connection.QueryAsync<(string Action, string Role, string Actor, string Referral, string? Changes)>(
            "select action, actor_role, actor_id, referral_id, changes from audit_trail order by seq")).ToList();
        Assert.Equal(["referral.submitted", "referral.read", "referral.read", "referral.withdrawn"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal(("referrer", holder, id), (r.Role, r.Actor, r.Referral)));
        Assert.Equal("[{\"field\":\"status\",\"before\":\"received\",\"after\":\"cancelled\"},{\"field\":\"reason\",\"before\":null,\"after\":null}]", rows[3].Changes);
        Assert.Empty(await AuditTrail.VerifyAsync(connection));
    }
}
