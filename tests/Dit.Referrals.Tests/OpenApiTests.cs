using Dit.Testing;

namespace Dit.Referrals.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_served_OpenAPI_document_describes_the_referrals_API_with_its_key_scheme_and_matches_the_one_checked_in_under_docs()
    {
        await using var app = await ReferralsApp.StartAsync("sqlite");

        var served = await ApiDocument.ServedAndCheckedInAsync(app.CreateClient(), "referrals");

        var paths = served["paths"]!.AsObject();
        Assert.Contains("/api/referrals", paths.Select(p => p.Key));
        Assert.Contains("/api/referrals/{id}", paths.Select(p => p.Key));
        Assert.Contains("/api/referrals/{id}/withdraw", paths.Select(p => p.Key));
        Assert.NotNull(paths["/api/referrals"]!["post"]!["requestBody"]);
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/api/courses") || p.Key.StartsWith("/api/reviews"));
        Assert.Equal("apiKey", served["components"]!["securitySchemes"]!["ApiKey"]!["type"]!.GetValue<string>());
        Assert.Equal("ApiKey", paths["/api/referrals"]!["post"]!["security"]![0]!.AsObject().Single().Key);
        Assert.Null(paths["/health/live"]!["get"]!["security"]);
    }
}
