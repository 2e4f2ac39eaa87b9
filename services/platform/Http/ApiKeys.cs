using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Dit.Platform.Http;

/// <summary>
/// API keys are long random strings, so one SHA-256 is enough to store them safely:
/// the database holds only the hash, and a key is shown once when it is made.
/// </summary>
public static class ApiKeys
{
    public static string NewKey(string prefix) =>
        $"{prefix}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_')}";

    /// <summary>A private link's token (the calendar feed, a questionnaire): 256 random bits, URL-safe base64.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key from <c>Authorization: ApiKey &lt;key&gt;</c>, or null.</summary>
    public static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "ApiKey ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }
}
