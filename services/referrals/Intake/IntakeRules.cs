using System.ComponentModel.DataAnnotations;

namespace Dit.Referrals.Intake;

/// <summary>
/// The adult age range a service takes (<c>Referrals:Intake:MinimumAge</c> / <c>MaximumAge</c>, default 18 to 120), and
/// how far ahead a referrer may ask the first session to be (<c>Referrals:Intake:EarliestStartWithinWeeks</c>, by default
/// the booking horizon, 18 weeks: no referrer reserves a therapist further ahead than the service books).
/// </summary>
public sealed class IntakeRules : ICheckedSettings
{
    public const string Section = "Referrals:Intake";

    [Range(0, 120)]
    public int MinimumAge { get; set; } = 18;

    [Range(0, 130)]
    public int MaximumAge { get; set; } = 120;

    [Range(1, 104)]
    public int EarliestStartWithinWeeks { get; set; } = 18;

    public void CheckTogether(string section)
    {
        if (MaximumAge < MinimumAge)
            throw new InvalidSettingException($"{section}:MaximumAge", $"a whole number from {MinimumAge} to 130", MaximumAge.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
