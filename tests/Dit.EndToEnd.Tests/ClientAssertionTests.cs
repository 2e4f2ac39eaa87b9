using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Dit.EndToEnd.Tests;

/// <summary>
/// The front end proving who it is with a signed JWT (private_key_jwt), as NHS CIS2 asks, instead of a shared secret: the
/// development provider registered with the front end's published keys (<c>/account/jwks</c>) takes the signed request
/// and no secret; a front end that sends only its secret is refused, and the page says sign-in is not available.
/// </summary>
public sealed class ClientAssertionTests
{
    [Fact]
    public async Task A_front_end_that_signs_its_token_requests_signs_people_in_and_one_that_sends_a_secret_is_refused()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), $"dit-front-end-{Guid.NewGuid():N}.pem");
        using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        var (playwright, browser) = await StaffBrowser.ChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        try
        {
            await using (var clinic = await StaffClinic.StartAsync(signedClient: true, assertionKeyFile: keyFile))
            {
                using var http = new HttpClient { BaseAddress = clinic.FrontEnd };
                var key = (await http.GetFromJsonAsync<JsonObject>("/account/jwks"))!["keys"]!.AsArray().Single()!;
                Assert.Equal(("RSA", "sig", "RS512"), (key["kty"]!.GetValue<string>(), key["use"]!.GetValue<string>(), key["alg"]!.GetValue<string>()));
                Assert.Null(key["d"]);   // the public half only

                var page = await StaffBrowser.SignedInPageAsync(browser, clinic.FrontEnd, "coordinator", "demo-coordinator");
                await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Casey Coordinator (coordinator)");
            }

            // The provider wants a signed request; this front end has only its secret: refused at the token endpoint.
            await using (var clinic = await StaffClinic.StartAsync(signedClient: true))
            {
                var page = await (await browser.NewContextAsync()).NewPageAsync();
                await page.GotoAsync(new Uri(clinic.FrontEnd, "/coordinator/").ToString());
                await StaffBrowser.SignInAsync(page, "coordinator", "demo-coordinator");
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in is not available" })).ToBeVisibleAsync();
                Assert.DoesNotContain((await page.Context.CookiesAsync()), c => c.Name == "dit-staff");
            }
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task The_assertion_for_CIS2_names_the_token_endpoint_and_verifies_with_the_published_key_only()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), $"dit-front-end-{Guid.NewGuid():N}.pem");
        using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            var settings = new Dit.Web.StaffSignInSettings { ClientId = "9999.apps.supplier", ClientAssertionKeyFile = keyFile };
            var assertion = Dit.Web.ClientAssertion.From(settings, TimeProvider.System)!;
            const string tokenEndpoint = "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/access_token";
            var token = assertion.For(tokenEndpoint);

            var published = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(assertion.Jwks);
            var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
            var result = await handler.ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                ValidIssuer = "9999.apps.supplier", ValidAudience = tokenEndpoint, IssuerSigningKeys = published.GetSigningKeys(),
            });
            Assert.True(result.IsValid, result.Exception?.Message);
            var jwt = (Microsoft.IdentityModel.JsonWebTokens.JsonWebToken)result.SecurityToken;
            Assert.Equal(("9999.apps.supplier", "RS512", 300), (jwt.Subject, jwt.Alg, (int)(jwt.ValidTo - jwt.IssuedAt).TotalSeconds));
            Assert.NotEqual(((Microsoft.IdentityModel.JsonWebTokens.JsonWebToken)handler.ReadToken(assertion.For(tokenEndpoint))).Id, jwt.Id);   // a new jti each time

            // Another key's signature does not verify against what was published.
            using var other = RSA.Create(2048);
            var forged = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = "9999.apps.supplier", Audience = tokenEndpoint,
                SigningCredentials = new(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(other) { KeyId = published.Keys[0].Kid }, "RS512"),
            });
            Assert.False((await handler.ValidateTokenAsync(forged, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
            {
                ValidIssuer = "9999.apps.supplier", ValidAudience = tokenEndpoint, IssuerSigningKeys = published.GetSigningKeys(),
            })).IsValid);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}
