namespace Dit.Notifications.Invites;

/// <summary>Who the invites come from, section <c>Notifications:Clinic</c>.</summary>
public sealed record ClinicDetails(
    string Name = "DIT Talking Therapies",
    string Email = "dit-bookings@example.nhs.uk",
    string Phone = "0300 000 0000",
    string Location = "Online video session (link sent before the session)")
{
    public const string Section = "Notifications:Clinic";
}
