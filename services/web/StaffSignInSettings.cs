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

    /// <summary>The client's secret at the provider. Required; never logged.</summary>
    public string? ClientSecret { get; set; }

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
