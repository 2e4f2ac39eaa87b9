namespace Dit.Identity;

/// <summary>A person who can sign in at the development provider, and the roles their tokens carry.</summary>
public sealed class ProviderUser
{
    public string Id { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Name { get; set; } = "";
    public string Password { get; set; } = "";
    public List<string> Roles { get; set; } = [];

    /// <summary>One demo user per role, with <c>Identity:Provider:DemoUsers</c>. For development and the Compose demo only.</summary>
    public static readonly IReadOnlyList<ProviderUser> Demo =
    [
        new() { Id = "demo-therapist", UserName = "therapist", Name = "Dr Asha Patel", Password = "demo-therapist", Roles = ["therapist"] },
        new() { Id = "demo-coordinator", UserName = "coordinator", Name = "Casey Coordinator", Password = "demo-coordinator", Roles = ["coordinator"] },
        new() { Id = "demo-clinical-lead", UserName = "lead", Name = "Dr Lee Lead", Password = "demo-lead", Roles = ["clinical-lead"] },
        new() { Id = "demo-administrator", UserName = "admin", Name = "Alex Administrator", Password = "demo-admin", Roles = ["administrator"] },
    ];
}
