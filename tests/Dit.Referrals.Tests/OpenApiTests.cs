using System.Net;
using System.Text.Json.Nodes;

namespace Dit.Referrals.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_served_OpenAPI_document_describes_the_referrals_API_and_matches_the_one_checked_in_under_docs()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");
        var response = await app.CreateClient().GetAsync("/openapi/referrals.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = served["paths"]!.AsObject();
        Assert.Contains("/api/referrals", paths.Select(p => p.Key));
        Assert.Contains("/api/referrals/{id}", paths.Select(p => p.Key));
        Assert.Contains("/api/referrals/{id}/withdraw", paths.Select(p => p.Key));
        Assert.NotNull(paths["/api/referrals"]!["post"]!["requestBody"]);
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/api/courses") || p.Key.StartsWith("/api/reviews"));

        var checkedIn = Path.Combine(RepositoryRoot(), "docs", "openapi", "referrals.json");
        var text = served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(checkedIn, text);
        Assert.True(File.Exists(checkedIn), $"{checkedIn} is missing: run the tests with UPDATE_OPENAPI=1 to write it.");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(checkedIn)), served),
            "docs/openapi/referrals.json differs from what the service serves: run the tests with UPDATE_OPENAPI=1 and commit the file.");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dit.Scheduling.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Dit.Scheduling.sln not found above the test output.");
    }
}
