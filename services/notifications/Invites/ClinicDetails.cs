namespace Dit.Notifications.Invites;

/// <summary>Who the invites come from, section <c>Notifications:Clinic</c>.</summary>
public sealed class ClinicDetails
{
    public const string Section = "Notifications:Clinic";

    public string Name { get; set; } = "DIT Talking Therapies";

    public string Email { get; set; } = "dit-bookings@example.nhs.uk";

    public string Phone { get; set; } = "0300 000 0000";

    /// <summary>Where the sessions are, for a course with no video room (no video platform set: Scheduling:Video).</summary>
    public string Location { get; set; } = "Online video session";
}
