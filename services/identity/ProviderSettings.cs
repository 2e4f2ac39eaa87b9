namespace Dit.Identity;

/// <summary>
/// <c>Identity:Provider</c>: the development sign-in provider's clients (the staff front end, by client id, secret and
/// the addresses it may be sent back to), its users (and with <see cref="DemoUsers"/> the demo users, one per role) and
/// its lockout.
/// </summary>
public sealed class ProviderSettings
{
    public const string Section = "Identity:Provider";

    /// <summary>The issuer the tokens name; by default the address the provider was reached at.</summary>
    public string? Issuer { get; set; }

    public List<ProviderClient> Clients { get; set; } = [];

    public List<ProviderUser> Users { get; set; } = [];

    /// <summary>Adds <see cref="ProviderUser.Demo"/>, one user per role: the development host and the Compose demo only.</summary>
    public bool DemoUsers { get; set; }

    /// <summary>Failed sign-ins in a row after which a user name is locked out …</summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>… for this many minutes.</summary>
    public int LockoutMinutes { get; set; } = 15;

    public IReadOnlyList<ProviderUser> AllUsers => DemoUsers ? [.. Users, .. ProviderUser.Demo] : Users;
}
