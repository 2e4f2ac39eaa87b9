namespace Dit.Referrals.Fhir;

/// <summary>
/// How BaRS names this service (<c>Referrals:Fhir</c>): every message's <c>NHSD-Target-Identifier</c> must be
/// <see cref="TargetSystem"/>|<see cref="TargetValue"/> — by default a DoS service id; set the one the service directory
/// gives the clinic. The development default, <c>dit-scheduling</c>, is no real service's.
/// </summary>
public sealed class BarsSettings
{
    public const string Section = "Referrals:Fhir";

    [AbsoluteUrl("https")]
    public string TargetSystem { get; set; } = "https://fhir.nhs.uk/Id/dos-service-id";

    [SettingPattern("^[A-Za-z0-9._-]{1,64}$", "an identifier of 1 to 64 letters, digits, '.', '_' or '-'")]
    public string TargetValue { get; set; } = "dit-scheduling";
}
