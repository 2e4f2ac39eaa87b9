using System.ComponentModel.DataAnnotations;
using Dit.Platform;

namespace Dit.Web;

/// <summary>
/// <c>Identity:SignIn</c>: how the staff front end signs people in at the provider named by <c>Identity:Authority</c> —
/// as which client, asking for which scopes — and how long a session lasts.
/// </summary>
public sealed class StaffSignInSettings
{
    public const string Section = "Identity:SignIn";

    public string ClientId { get; set; } = "dit-web";

    /// <summary>The client's secret at the provider (unless it signs in with <see cref="ClientAssertionKeyFile"/>); never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// A PEM file with an RSA private key: the front end then proves who it is with a signed JWT (<c>private_key_jwt</c>,
    /// as NHS CIS2 asks) rather than <see cref="ClientSecret"/>, and serves the public key at <c>/account/jwks</c>.
    /// </summary>
    public string? ClientAssertionKeyFile { get; set; }

    /// <summary>The assertion's key id (<c>kid</c>); by default the key's JWK thumbprint.</summary>
    public string? ClientAssertionKeyId { get; set; }

    /// <summary>
    /// The assertion's audience: <c>token-endpoint</c>, the provider's token endpoint (RFC 7523; what NHS CIS2 asks), or
    /// <c>issuer</c>, the provider's issuer (RFC 7523bis; what OpenIddict 7, the development provider, takes).
    /// </summary>
    [SettingPattern("^(token-endpoint|issuer)$", "token-endpoint or issuer")]
    public string ClientAssertionAudience { get; set; } = "token-endpoint";

    /// <summary>The assertion's signing algorithm, as registered with the provider.</summary>
    [SettingPattern("^(RS256|RS384|RS512|PS256|PS384|PS512)$", "RS256, RS384, RS512, PS256, PS384 or PS512")]
    public string ClientAssertionAlgorithm { get; set; } = "RS512";

    /// <summary>Scopes asked for, space-separated (<c>openid</c> is always asked).</summary>
    public string Scopes { get; set; } = "openid profile roles";

    /// <summary>
    /// The provider's address as browsers reach it, where the front end reaches it at another (<c>Identity:Authority</c>
    /// inside a container network, say): sign-in and sign-out send the browser here. Unset: <c>Identity:Authority</c>.
    /// </summary>
    [AbsoluteUrl("https", "http", Optional = true)]
    public string? BrowserAuthority { get; set; }

    /// <summary>A session with no request for this long ends.</summary>
    [Range(5, 720)]
    public int IdleMinutes { get; set; } = 30;

    /// <summary>No session lasts longer than this, however busy.</summary>
    [Range(1, 24)]
    public int LongestSessionHours { get; set; } = 8;
}
