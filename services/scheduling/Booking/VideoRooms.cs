namespace Dit.Scheduling.Booking;

/// <summary>
/// <c>Scheduling:Video</c>: the clinic's video platform. Each course gets a private room when it is booked — its joining
/// address is <see cref="JoinUrlTemplate"/> with <c>{room}</c> replaced by a room id of 256 random bits (base64url, as our private links),
/// never anything of the patient's — and keeps it through moves and reassignment. Unset: no link is made, and the
/// invite says only that the session is online.
/// </summary>
public sealed class VideoRooms : ICheckedSettings
{
    public const string Section = "Scheduling:Video";
    private const string Room = "{room}";

    /// <summary>The platform's room address with <c>{room}</c> where the room id goes, e.g. <c>https://video.example.nhs.uk/dit/{room}</c>.</summary>
    [AbsoluteUrl("https", "http", Optional = true)]
    public string? JoinUrlTemplate { get; set; }

    public void CheckTogether(string section)
    {
        if (string.IsNullOrWhiteSpace(JoinUrlTemplate)) JoinUrlTemplate = null;
        else if (!JoinUrlTemplate.Contains(Room, StringComparison.Ordinal))
            throw new InvalidSettingException($"{section}:JoinUrlTemplate", "the video platform's room address with {room} where the room id goes", JoinUrlTemplate);
    }

    /// <summary>A new room's joining address, or null when no platform is set.</summary>
    public string? NewJoinUrl() =>
        JoinUrlTemplate?.Replace(Room, ApiKeys.NewToken(), StringComparison.Ordinal);
}
