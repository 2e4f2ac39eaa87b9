using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Dit.Referrals.Fhir;

/// <summary>
/// BaRS's identity headers, each a base64 JSON object: <c>NHSD-Target-Identifier</c> ({ value, system }: the service the
/// message is for) and <c>NHSD-End-User-Organisation</c> (an <c>Organization</c> with its ODS code: who sends it).
/// </summary>
public static class BarsHeaders
{
    public const string TargetIdentifier = "NHSD-Target-Identifier";
    public const string EndUserOrganisation = "NHSD-End-User-Organisation";
    public const string OdsOrganisationCode = "https://fhir.nhs.uk/Id/ods-organization-code";

    /// <summary>The identifier's (system, value), or null when the header is not base64 JSON with both.</summary>
    public static (string System, string Value)? TargetOf(string header)
    {
        if (Json(header) is not { ValueKind: JsonValueKind.Object } json) return null;
        return json.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.String
            && json.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            ? (system.GetString()!, value.GetString()!) : null;
    }

    /// <summary>The Organization's ODS code, or null when the header is not a base64 Organization with one.</summary>
    public static string? OdsCodeOf(string header)
    {
        if (Decode(header) is not { } text) return null;
        try
        {
            new FhirJsonDeserializer().TryDeserializeResource(text, out var resource, out _);
            return resource is Organization organisation
                ? BarsReferrers.OdsCodeOf(organisation.Identifier.FirstOrDefault(i => i.System == OdsOrganisationCode)?.Value)
                : null;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The header for news sent to a sender named by <c>system|value</c>.</summary>
    public static string Encode(string system, string value) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { value, system }));

    private static JsonElement? Json(string header)
    {
        if (Decode(header) is not { } text) return null;
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { return null; }
    }

    private static string? Decode(string header)
    {
        if (header.Length is 0 or > 8192) return null;
        var bytes = new byte[header.Length];
        return Convert.TryFromBase64String(header.Trim(), bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
}
