namespace Dit.Contracts;

/// <summary>
/// Who made a change to a patient's course or referral: a person by their role and id — today the holder of a
/// coordinator's or a referrer's key, from issue 22 a signed-in person — or the service itself (<see cref="Service"/>).
/// A message that a person caused carries it (<c>By</c>), so every service can say who did what.
/// </summary>
public sealed record Actor(string Role, string Id)
{
    public const string ServiceRole = "service";

    /// <summary>The service acting on its own rules (a withdrawal's cancellation, a course completing).</summary>
    public static Actor Service(string name) => new(ServiceRole, name);
}
