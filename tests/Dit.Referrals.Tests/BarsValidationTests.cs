using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dit.Referrals.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace Dit.Referrals.Tests;

/// <summary>
/// A referral message is validated with Firely's validator against base FHIR R4 and UK Core (profiles read from the
/// repository's files): what is not valid FHIR is refused naming its element, whatever our own reading of it would take.
/// </summary>
public sealed class BarsValidationTests
{
    [Fact]
    public async Task The_READMEs_example_and_the_tests_message_are_valid_UK_Core()
    {
        Assert.Empty(await BarsValidator.Shared.ValidateAsync(BarsConformance.ExampleMessage(), CancellationToken.None));
        Assert.Empty(await BarsValidator.Shared.ValidateAsync(BarsMessages.Referral(), CancellationToken.None));
    }

    [Fact]
    public async Task A_message_that_is_not_valid_FHIR_is_refused_naming_each_element_and_nothing_is_kept()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var client = await app.NewBarsReferrerAsync();
        async Task<List<(string Expression, string Diagnostics)>> RefusedAsync(Bundle message)
        {
            var response = await client.SendAsync(BarsMessages.Post(message));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["issue"]!.AsArray()
                .Select(i => (i!["expression"]?[0]?.GetValue<string>() ?? "", i["diagnostics"]!.GetValue<string>())).ToList();
        }

        // A privacy consent with neither a policy nor a policy rule (FHIR's invariant ppc-1): our reading of the message
        // would take it; the validator does not.
        var withoutPolicy = BarsMessages.Referral();
        withoutPolicy.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Consent>().Single().PolicyRule = null;
        var issues = await RefusedAsync(withoutPolicy);
        Assert.Contains(issues, i => i.Expression == "Bundle.entry[3].resource" && i.Diagnostics.Contains("ppc-1"));
        // A risk flag without its code (Flag.code is 1..1).
        var flagWithoutCode = BarsMessages.Referral();
        flagWithoutCode.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = $"urn:uuid:{Guid.NewGuid()}",
            Resource = new Flag { Status = Flag.FlagStatus.Active, Subject = new ResourceReference(flagWithoutCode.Entry[2].FullUrl) },
        });
        Assert.Contains(await RefusedAsync(flagWithoutCode), i => i.Expression == "Bundle.entry[5].resource.code" && i.Diagnostics.Contains("minimum cardinality 1"));
        Assert.Equal(0, await app.CountAsync("referrals"));
    }
}
