using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
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

    /// <summary>
    /// An endpoint filter that answers 401 unless <paramref name="findCaller"/> knows the key's hash;
    /// the caller's id is left in <c>HttpContext.Items["caller"]</c>.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, Func<HttpContext, string, Task<string?>> findCaller)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var key = FromHeader(context.HttpContext.Request);
            var caller = key is null ? null : await findCaller(context.HttpContext, Hash(key));
            if (caller is null)
            {
                context.HttpContext.Response.Headers.WWWAuthenticate = "ApiKey";
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                    title: "A valid API key is required", detail: "Send 'Authorization: ApiKey <key>'.");
            }
            context.HttpContext.Items["caller"] = caller;
            return await next(context);
        });
        return builder;
    }

    public static string Caller(this HttpContext context) => (string)context.Items["caller"]!;
}
