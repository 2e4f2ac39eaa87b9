using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dit.Web;

/// <summary>
/// The front end proving who it is at the provider's token endpoint with a signed JWT (<c>private_key_jwt</c>, RFC 7523)
/// instead of a shared secret — what NHS CIS2 asks of a confidential client. The RSA key comes from the PEM file at
/// <c>Identity:SignIn:ClientAssertionKeyFile</c>; its public half is served as a JSON Web Key Set at
/// <see cref="JwksPath"/>, the address registered with the provider. The token is made by IdentityModel's
/// <see cref="JsonWebTokenHandler"/>: issuer and subject the client id, audience the token endpoint (or the provider's
/// issuer, <c>Identity:SignIn:ClientAssertionAudience</c>), a one-time <c>jti</c>, five minutes' life.
/// </summary>
public sealed class ClientAssertion
{
    public const string JwksPath = "/account/jwks";
    public const string Type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly SigningCredentials _credentials;
    private readonly string _clientId;
    private readonly TimeProvider _time;

    private ClientAssertion(RsaSecurityKey key, string algorithm, string clientId, TimeProvider time)
    {
        _credentials = new SigningCredentials(key, algorithm);
        _clientId = clientId;
        _time = time;
        var publicKey = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        publicKey.Use = "sig";
        publicKey.Alg = algorithm;
        Jwks = JsonSerializer.Serialize(new { keys = new[] { new { publicKey.Kty, publicKey.Kid, publicKey.Use, publicKey.Alg, publicKey.N, publicKey.E } } },
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
    }

    /// <summary>The public key as a JSON Web Key Set (<c>{"keys":[…]}</c>).</summary>
    public string Jwks { get; }

    /// <summary>The front end's assertion key from settings, or null when it signs in with a client secret.</summary>
    public static ClientAssertion? From(StaffSignInSettings settings, TimeProvider time)
    {
        if (settings.ClientAssertionKeyFile is not { } file) return null;
        string pem;
        try { pem = File.ReadAllText(file); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new Dit.Platform.InvalidSettingException("Identity:SignIn:ClientAssertionKeyFile", "a PEM file with the front end's RSA private key, readable by the service", file);
        }
        var rsa = RSA.Create();
        try { rsa.ImportFromPem(pem); }
        catch (ArgumentException)
        {
            throw new Dit.Platform.InvalidSettingException("Identity:SignIn:ClientAssertionKeyFile", "a PEM file with the front end's RSA private key", file);
        }
        var key = new RsaSecurityKey(rsa);
        key.KeyId = settings.ClientAssertionKeyId ?? Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return new ClientAssertion(key, settings.ClientAssertionAlgorithm, settings.ClientId, time);
    }

    /// <summary>A fresh assertion for the provider named by <paramref name="audience"/>.</summary>
    public string For(string audience)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _clientId,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = _clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = _credentials,
        });
    }
}
