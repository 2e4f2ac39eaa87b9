using System.Net;
using Dit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Dit.Identity.Tests;

/// <summary>
/// The development provider as a client meets it: authorization code with PKCE through the sign-in form, the tokens and
/// the claims in them, and what it refuses — a wrong secret or verifier, an unregistered redirect, no PKCE, a form
/// without its antiforgery token, and a name after five wrong passwords.
/// </summary>
public sealed class DevelopmentProviderTests : IDisposable
{
    private readonly WebApplicationFactory<Program> _provider = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
    {
        foreach (var (key, value) in CodeFlow.ProviderClientSettings) host.UseSetting(key, value);
    });

    public void Dispose() => _provider.Dispose();

    private HttpClient Browser() => _provider.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task A_demo_coordinator_signs_in_with_code_and_pkce_and_the_tokens_name_them_and_their_role()
    {
        using var browser = Browser();

        var tokens = await CodeFlow.SignInAsync(browser, "coordinator", "demo-coordinator");

        var identity = new JsonWebToken(tokens["id_token"]!.GetValue<string>());
        Assert.Equal("demo-coordinator", identity.Subject);
        Assert.Equal("Casey Coordinator", identity.GetClaim("name").Value);
        Assert.Equal("n1", identity.GetClaim("nonce").Value);
        var access = new JsonWebToken(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(["coordinator"], access.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["dit"], access.Audiences);
        Assert.Equal("http://localhost/", access.Issuer);
    }

    [Fact]
    public async Task A_code_is_refused_with_the_wrong_secret_or_verifier_and_a_request_without_pkce_or_to_an_unregistered_address_gets_no_code()
    {
        using var browser = Browser();
        var (verifier, challenge) = CodeFlow.NewPkce();
        var code = await CodeFlow.CodeAsync(browser, "therapist", "demo-therapist", challenge);

        Assert.Equal(HttpStatusCode.Unauthorized, (await CodeFlow.RedeemAsync(browser, code, verifier, secret: "not-the-secret")).StatusCode);   // invalid_client (RFC 6749 §5.2)
        Assert.Equal(HttpStatusCode.BadRequest, (await CodeFlow.RedeemAsync(browser, code, CodeFlow.NewPkce().Verifier)).StatusCode);

        var noPkce = await browser.GetAsync(CodeFlow.AuthorizeUrl(challenge, pkce: false));
        Assert.DoesNotContain("code=", noPkce.Headers.Location?.Query ?? "");
        var elsewhere = await browser.GetAsync(CodeFlow.AuthorizeUrl(challenge, redirect: "https://attacker.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_five_wrong_passwords_lock_the_name_out()
    {
        using var browser = Browser();
        var signInPage = (await browser.GetAsync(CodeFlow.AuthorizeUrl(CodeFlow.NewPkce().Challenge))).Headers.Location!.PathAndQuery;

        Assert.Equal(HttpStatusCode.BadRequest, (await CodeFlow.PostSignInAsync(browser, signInPage, "lead", "demo-lead", withToken: false)).StatusCode);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await CodeFlow.PostSignInAsync(browser, signInPage, "lead", "wrong")).StatusCode);
        var locked = await CodeFlow.PostSignInAsync(browser, signInPage, "lead", "demo-lead");   // the right password, too late

        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.Contains("Too many failed sign-ins", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await CodeFlow.PostSignInAsync(browser, signInPage, "admin", "demo-admin")).StatusCode);
    }
}
