using System.Text.Json.Nodes;

namespace Dit.Referrals.Tests;

/// <summary>Referral bodies as a referring service would post them.</summary>
public static class Referral
{
    public static JsonObject Valid(string reference = "IAPT-000123") => new()
    {
        ["referrerReference"] = reference,
        ["patient"] = new JsonObject
        {
            ["nhsNumber"] = "943 476 5919",
            ["givenName"] = "Alex",
            ["familyName"] = "O'Brien-Smith",
            ["dateOfBirth"] = "1990-04-01",
            ["email"] = "alex@example.org",
            ["mobile"] = "07700 900123",
        },
        ["availability"] = new JsonArray(
            new JsonObject { ["day"] = "Tuesday", ["from"] = "17:00", ["to"] = "21:00" },
            new JsonObject { ["day"] = "Saturday", ["from"] = "09:00", ["to"] = "12:00" }),
        ["earliestStart"] = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd"),
        ["timeZone"] = "Europe/London",
        ["risk"] = new JsonObject { ["currentRisk"] = false, ["notes"] = "" },
        ["consent"] = new JsonObject { ["email"] = true, ["sms"] = false },
        ["presentingProblem"] = "depression",
    };

    /// <summary>The valid referral with one change made at a path like "patient.nhsNumber".</summary>
    public static JsonObject With(string path, JsonNode? value, string reference = "IAPT-000123")
    {
        var body = Valid(reference);
        var parts = path.Split('.');
        JsonNode node = body;
        foreach (var part in parts[..^1]) node = part.EndsWith(']') ? node[part[..part.IndexOf('[')]]![int.Parse(part[(part.IndexOf('[') + 1)..^1])]! : node[part]!;
        var last = parts[^1];
        if (last.EndsWith(']')) node[last[..last.IndexOf('[')]]![int.Parse(last[(last.IndexOf('[') + 1)..^1])] = value;
        else node[last] = value;
        return body;
    }
}
