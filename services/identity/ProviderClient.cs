namespace Dit.Identity;

/// <summary>
/// An application that may sign people in here: its id, how it proves it — a secret, or a JWT signed with a key
/// published at <see cref="JwksUri"/> (<c>private_key_jwt</c>, as NHS CIS2 asks) — and where it may send people back to.
/// </summary>
public sealed class ProviderClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Where the client's public keys are (a JSON Web Key Set); set, the client must sign its token requests with one and no secret is taken.</summary>
    public string? JwksUri { get; set; }
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
}
