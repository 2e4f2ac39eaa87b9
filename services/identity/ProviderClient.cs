namespace Dit.Identity;

/// <summary>An application that may sign people in here: its id and secret, and where it may send them back to.</summary>
public sealed class ProviderClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
}
