using System.Net;
using System.Text.Json.Nodes;

namespace Dit.Testing;

/// <summary>A service's served OpenAPI document, checked against the copy under <c>docs/openapi/</c>.</summary>
public static class ApiDocument
{
    /// <summary>
    /// Reads <c>/openapi/{name}.json</c> and fails unless it equals <c>docs/openapi/{name}.json</c>; with
    /// <c>UPDATE_OPENAPI=1</c> writes that file first (then commit it).
    /// </summary>
    public static async Task<JsonNode> ServedAndCheckedInAsync(HttpClient client, string name)
    {
        var response = await client.GetAsync($"/openapi/{name}.json");
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/openapi/{name}.json: {response.StatusCode}");
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var checkedIn = Path.Combine(RepositoryRoot(), "docs", "openapi", $"{name}.json");
        var text = served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(checkedIn, text);
        if (!File.Exists(checkedIn)) throw new InvalidOperationException($"{checkedIn} is missing: run the tests with UPDATE_OPENAPI=1 to write it.");
        if (!JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(checkedIn)), served))
            throw new InvalidOperationException($"docs/openapi/{name}.json differs from what the service serves: run the tests with UPDATE_OPENAPI=1 and commit the file.");
        return served;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dit.Scheduling.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Dit.Scheduling.sln not found above the test output.");
    }
}
