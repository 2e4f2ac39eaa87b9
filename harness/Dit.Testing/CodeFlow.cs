using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dit.Testing;

/// <summary>
/// Signs a person in at the development provider as a browser and a web front end would: authorization code with PKCE
/// through the sign-in form (with its antiforgery token), then the code redeemed for tokens. The client must keep cookies
/// and not follow redirects.
/// </summary>
public static partial class CodeFlow
{
    public const string ClientId = "dit-web";
    public const string ClientSecret = "test-web-secret";
    public const string Callback = "http://localhost:5080/signin-oidc";

    /// <summary>Settings that register the test client at the provider, with the demo users.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ProviderClientSettings =>
    [
        new("Identity:Provider:DemoUsers", "true"),
        new("Identity:Provider:Clients:0:ClientId", ClientId),
        new("Identity:Provider:Clients:0:ClientSecret", ClientSecret),
        new("Identity:Provider:Clients:0:RedirectUris:0", Callback),
    ];

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string challenge, string redirect = Callback, bool pkce = true) =>
        $"/connect/authorize?client_id={ClientId}&response_type=code&scope=openid%20profile%20roles&state=s1&nonce=n1" +
        $"&redirect_uri={Uri.EscapeDataString(redirect)}" + (pkce ? $"&code_challenge={challenge}&code_challenge_method=S256" : "");

    /// <summary>Fills in and posts the sign-in form at <paramref name="signInPage"/>.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string signInPage, string userName, string password, bool withToken = true)
    {
        var page = await browser.GetStringAsync(signInPage);
        var fields = new Dictionary<string, string>
        {
            ["username"] = userName, ["password"] = password,
            ["returnUrl"] = WebUtility.HtmlDecode(ReturnField().Match(page).Groups[1].Value),
        };
        if (withToken) fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        return await browser.PostAsync("/connect/sign-in", new FormUrlEncodedContent(fields));
    }

    /// <summary>The code the provider sends back to the client after <paramref name="userName"/> signs in.</summary>
    public static async Task<string> CodeAsync(HttpClient browser, string userName, string password, string challenge)
    {
        var toSignIn = await browser.GetAsync(AuthorizeUrl(challenge));
        if (toSignIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"authorize answered {(int)toSignIn.StatusCode}");
        var signedIn = await PostSignInAsync(browser, toSignIn.Headers.Location!.PathAndQuery, userName, password);
        if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {(int)signedIn.StatusCode}");
        var back = (await browser.GetAsync(signedIn.Headers.Location!.ToString())).Headers.Location!;
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query)["code"].ToString();
    }

    public static Task<HttpResponseMessage> RedeemAsync(HttpClient browser, string code, string verifier, string secret = ClientSecret) =>
        browser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = verifier,
            ["client_id"] = ClientId, ["client_secret"] = secret,
        }));

    /// <summary>Signs <paramref name="userName"/> in and returns the token response (<c>access_token</c>, <c>id_token</c>).</summary>
    public static async Task<JsonNode> SignInAsync(HttpClient browser, string userName, string password)
    {
        var (verifier, challenge) = NewPkce();
        var response = await RedeemAsync(browser, await CodeAsync(browser, userName, password, challenge), verifier);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]+)\"")]
    private static partial Regex ReturnField();
}
