namespace Dit.Notifications.Invites;

/// <summary>Who the invites come from (configuration section <c>Notifications:Clinic</c>).</summary>
public sealed record ClinicDetails(string Name, string Email, string Phone, string Location)
{
    public static ClinicDetails From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Notifications:Clinic");
        return new ClinicDetails(
            section["Name"] ?? "DIT Talking Therapies",
            section["Email"] ?? "dit-bookings@example.nhs.uk",
            section["Phone"] ?? "0300 000 0000",
            section["Location"] ?? "Online video session (link sent before the session)");
    }
}
