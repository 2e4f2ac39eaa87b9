namespace Dit.Platform.Http;

/// <summary>
/// <c>Identity</c>: the OpenID Connect provider whose access tokens the services accept from staff (the development
/// provider, NHS CIS2 or Microsoft Entra ID; docs/security.md). No <c>Authority</c>: API keys only.
/// </summary>
public sealed class StaffTokenSettings
{
    public const string Section = "Identity";

    /// <summary>The provider's issuer address; its discovery document and signing keys are read from there.</summary>
    [AbsoluteUrl("https", "http", Optional = true)]
    public string? Authority { get; set; }

    /// <summary>The audience the tokens must name (<c>aud</c>): the development provider's is <c>dit</c>.</summary>
    public string Audience { get; set; } = "dit";

    /// <summary>The claim that carries the person's roles: <c>role</c> (the development provider), <c>roles</c> (Entra ID).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The provider's role names → ours, where they differ (an Entra app role or a CIS2 role code → <c>coordinator</c>).</summary>
    public Dictionary<string, string> Roles { get; set; } = [];

    /// <summary>Only for a provider on plain http on this machine (the development host, the tests).</summary>
    public bool AllowHttpAuthority { get; set; }
}
