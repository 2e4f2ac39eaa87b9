using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dit.Testing;

namespace Dit.LoadDriver;

/// <summary>
/// The load driver's referrals as BaRS messages: the README's example message (docs/fhir/dit-referral-message.json) with
/// each referral's reference, email, weekly windows and earliest start from <see cref="ProcessSystem.Referral"/> — the same
/// referral the JSON runs post — framed with BaRS's headers for an organisation with ODS code <see cref="OdsCode"/>.
/// </summary>
public static class BarsLoad
{
    public const string OdsCode = "A1001";

    private static readonly string Example = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, "docs", "fhir", "dit-referral-message.json"));
    private static readonly Dictionary<string, string> DayCodes = new()
    {
        ["Monday"] = "mon", ["Tuesday"] = "tue", ["Wednesday"] = "wed", ["Thursday"] = "thu", ["Friday"] = "fri", ["Saturday"] = "sat", ["Sunday"] = "sun",
    };

    public static HttpRequestMessage Message(string run, int index, bool currentRisk)
    {
        var referral = JsonSerializer.SerializeToNode(ProcessSystem.Referral(run, index, currentRisk))!;
        var bundle = JsonNode.Parse(Example)!;
        var entries = bundle["entry"]!.AsArray();
        JsonNode Resource(string type) => entries.Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == type);
        Resource("ServiceRequest")["identifier"]![0]!["value"] = referral["referrerReference"]!.GetValue<string>();
        Resource("Patient")["telecom"] = new JsonArray(new JsonObject { ["system"] = "email", ["value"] = referral["patient"]!["email"]!.GetValue<string>() });
        var answers = Resource("QuestionnaireResponse")["item"]!.AsArray();
        JsonNode Answer(string linkId, JsonObject value) => new JsonObject { ["linkId"] = linkId, ["answer"] = new JsonArray(value) };
        var windows = referral["availability"]!.AsArray().Select(w => (JsonNode)new JsonObject
        {
            ["linkId"] = "availability",
            ["item"] = new JsonArray(
                Answer("day", new JsonObject { ["valueCoding"] = new JsonObject { ["system"] = "http://hl7.org/fhir/days-of-week", ["code"] = DayCodes[w!["day"]!.GetValue<string>()] } }),
                Answer("from", new JsonObject { ["valueTime"] = w["from"]!.GetValue<string>() + ":00" }),
                Answer("to", new JsonObject { ["valueTime"] = w["to"]!.GetValue<string>() + ":00" })),
        });
        var rest = answers.Where(a => a!["linkId"]!.GetValue<string>() != "availability").Select(a => a!.DeepClone()).ToList();
        foreach (var answer in rest.Where(a => a["linkId"]!.GetValue<string>() == "earliest-start"))
            answer["answer"]![0]!["valueDate"] = referral["earliestStart"]!.GetValue<string>();
        Resource("QuestionnaireResponse")["item"] = new JsonArray([.. windows, .. rest]);
        if (currentRisk)
            entries.Add(new JsonObject
            {
                ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Flag", ["status"] = "active",
                    ["code"] = new JsonObject { ["text"] = "warm-up: waits for a coordinator, never booked" },
                    ["subject"] = new JsonObject { ["reference"] = Resource("ServiceRequest")["subject"]!["reference"]!.GetValue<string>() },
                },
            });

        return new HttpRequestMessage(HttpMethod.Post, "/fhir/$process-message")
        {
            Content = new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/fhir+json"),
            Headers =
            {
                { "X-Request-Id", Guid.NewGuid().ToString() }, { "X-Correlation-Id", Guid.NewGuid().ToString() },
                { "NHSD-Target-Identifier", Base64("""{"value":"dit-scheduling","system":"https://fhir.nhs.uk/Id/dos-service-id"}""") },
                { "NHSD-End-User-Organisation", Base64($$"""{"resourceType":"Organization","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"{{OdsCode}}"}]}""") },
            },
        };
    }

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
}
