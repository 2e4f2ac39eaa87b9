using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Dit.Identity.Tests;

/// <summary>
/// The development provider as a client meets it: authorization code with PKCE through the sign-in form, the tokens and
/// the claims in them, and what it refuses — a wrong secret, an unregistered redirect, no PKCE, a form without its
/// antiforgery token, and a name after five wrong passwords.
/// </summary>
public sealed partial class DevelopmentProviderTests : IDisposable
{
    private const string Callback = "http://localhost:5080/signin-oidc";

    private readonly WebApplicationFactory<Program> _provider = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
    {
        host.UseSetting("Identity:Provider:Clients:0:ClientId", "dit-web");
        host.UseSetting("Identity:Provider:Clients:0:ClientSecret", "web-secret");
        host.UseSetting("Identity:Provider:Clients:0:RedirectUris:0", Callback);
    });

    public void Dispose() => _provider.Dispose();

    private HttpClient Browser() => _provider.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static string AuthorizeUrl(string challenge, string redirect = Callback, bool pkce = true) =>
        "/connect/authorize?client_id=dit-web&response_type=code&scope=openid%20profile%20roles&state=s1&nonce=n1" +
        $"&redirect_uri={Uri.EscapeDataString(redirect)}" + (pkce ? $"&code_challenge={challenge}&code_challenge_method=S256" : "");

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string signInPage, string userName, string password, bool withToken = true)
    {
        var page = await browser.GetStringAsync(signInPage);
        var fields = new Dictionary<string, string> { ["username"] = userName, ["password"] = password, ["returnUrl"] = Regex.Match(page, "name=\"returnUrl\" value=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&") };
        if (withToken) fields["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value;
        return await browser.PostAsync("/connect/sign-in", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_demo_coordinator_signs_in_with_code_and_pkce_and_the_tokens_name_them_and_their_role()
    {
        using var browser = Browser();
        var (verifier, challenge) = Pkce();

        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge));
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("http://localhost/connect/sign-in", toSignIn.Headers.Location!.ToString());
        var signedIn = await PostSignInAsync(browser, toSignIn.Headers.Location!.PathAndQuery, "coordinator", "demo-coordinator");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var toClient = await browser.GetAsync(signedIn.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var back = toClient.Headers.Location!;
        Assert.StartsWith(Callback, back.ToString());
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query)["code"].ToString();

        var tokenResponse = await browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = verifier,
            ["client_id"] = "dit-web", ["client_secret"] = "web-secret",
        }));
        var tokens = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!;
        Assert.True(tokenResponse.IsSuccessStatusCode, tokens.ToJsonString());

        var identity = new JsonWebToken(tokens["id_token"]!.GetValue<string>());
        Assert.Equal("demo-coordinator", identity.Subject);
        Assert.Equal("Casey Coordinator", identity.GetClaim("name").Value);
        Assert.Equal("n1", identity.GetClaim("nonce").Value);
        var access = new JsonWebToken(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(["coordinator"], access.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal("http://localhost/", access.Issuer);
    }

    [Fact]
    public async Task A_code_is_refused_with_the_wrong_secret_or_verifier_and_a_request_without_pkce_or_to_an_unregistered_address_gets_no_code()
    {
        using var browser = Browser();
        var (verifier, challenge) = Pkce();
        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge));
        var signedIn = await PostSignInAsync(browser, toSignIn.Headers.Location!.PathAndQuery, "therapist", "demo-therapist");
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery((await browser.GetAsync(signedIn.Headers.Location!.ToString())).Headers.Location!.Query)["code"].ToString();

        Task<HttpResponseMessage> Redeem(string secret, string codeVerifier) => browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = codeVerifier,
            ["client_id"] = "dit-web", ["client_secret"] = secret,
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Redeem("not-the-secret", verifier)).StatusCode);   // invalid_client (RFC 6749 §5.2)
        Assert.Equal(HttpStatusCode.BadRequest, (await Redeem("web-secret", Pkce().Verifier)).StatusCode);

        var noPkce = await browser.GetAsync(AuthorizeUrl(challenge, pkce: false));
        Assert.DoesNotContain("code=", noPkce.Headers.Location?.Query ?? "");
        var elsewhere = await browser.GetAsync(AuthorizeUrl(challenge, redirect: "https://attacker.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_five_wrong_passwords_lock_the_name_out()
    {
        using var browser = Browser();
        var (_, challenge) = Pkce();
        var signInPage = (await browser.GetAsync(AuthorizeUrl(challenge))).Headers.Location!.PathAndQuery;

        Assert.Equal(HttpStatusCode.BadRequest, (await PostSignInAsync(browser, signInPage, "lead", "demo-lead", withToken: false)).StatusCode);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostSignInAsync(browser, signInPage, "lead", "wrong")).StatusCode);
        var locked = await PostSignInAsync(browser, signInPage, "lead", "demo-lead");   // the right password, too late

        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.Contains("Too many failed sign-ins", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostSignInAsync(browser, signInPage, "admin", "demo-admin")).StatusCode);
    }
}
