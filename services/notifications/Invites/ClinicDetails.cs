namespace Dit.Notifications.Invites;

/// <summary>Who the invites come from, section <c>Notifications:Clinic</c>.</summary>
public sealed class ClinicDetails
{
    public const string Section = "Notifications:Clinic";

    public string Name { get; set; } = "DIT Talking Therapies";

    public string Email { get; set; } = "dit-bookings@example.nhs.uk";

    public string Phone { get; set; } = "0300 000 0000";

    public string Location { get; set; } = "Online video session (link sent before the session)";
}
