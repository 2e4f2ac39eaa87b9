using System.Text.RegularExpressions;
using NodaTime.Extensions;
using NodaTime.Text;

namespace Dit.Referrals.Intake;

/// <summary>
/// Checks a referral field by field. Every problem is reported against the JSON path of its field,
/// so a referring system can show its user exactly what to fix.
/// </summary>
public static partial class ReferralValidator
{
    private static readonly LocalTime DayOpens = CourseShape.DayOpens;
    private static readonly LocalTime DayCloses = CourseShape.DayCloses;
    private static readonly int SessionMinutes = CourseShape.Standard.SessionMinutes;
    private const int MaxNameLength = 100;
    private const int MaxReferenceLength = 64;

    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}'’\- ]*$")]
    private static partial Regex NameShape();

    public static (ValidReferral? Referral, Dictionary<string, string[]> Errors) Validate(ReferralRequest request, LocalDate today, IntakeRules rules)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        var reference = request.ReferrerReference?.Trim();
        if (string.IsNullOrEmpty(reference)) Fail("referrerReference", "Required: your own reference for this referral.");
        else if (reference.Length > MaxReferenceLength) Fail("referrerReference", $"At most {MaxReferenceLength} characters.");

        var patient = ValidatePatient(request.Patient, today, rules, Fail);

        var earliest = ParseDate(request.EarliestStart);
        if (request.EarliestStart is null) Fail("earliestStart", "Required: the first date the patient could start (YYYY-MM-DD).");
        else if (earliest is null) Fail("earliestStart", "Not a real date in the form YYYY-MM-DD.");
        else if (earliest < today) Fail("earliestStart", "Must not be in the past.");
        else if (earliest > today.PlusWeeks(rules.EarliestStartWithinWeeks))
            Fail("earliestStart", $"At most {rules.EarliestStartWithinWeeks} weeks ahead (by {LocalDatePattern.Iso.Format(today.PlusWeeks(rules.EarliestStartWithinWeeks))}): the service books first sessions within that horizon.");

        var timeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? CourseShape.ServiceZoneId : request.TimeZone.Trim();
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone);
        if (zone is null) Fail("timeZone", "Not a known IANA time zone, such as Europe/London.");

        var windows = ValidateAvailability(request.Availability, zone, earliest ?? today, Fail);

        var consent = request.Consent ?? new ConsentRequest(false, false);
        if (patient is not null)
        {
            if (consent.Email && patient.Email is null) Fail("consent.email", "Consent to email needs patient.email.");
            if (consent.Sms && patient.Mobile is null) Fail("consent.sms", "Consent to SMS needs patient.mobile.");
            if (consent.Questionnaires && !(consent.Email && patient.Email is not null))
                Fail("consent.questionnaires", "The questionnaire link goes by email: it needs consent.email and patient.email.");
            if (!(consent.Email && patient.Email is not null) && !(consent.Sms && patient.Mobile is not null))
                Fail("consent", "The patient must consent to email or SMS, at an address given, to be told their appointments.");
        }
        if (errors.Count > 0 || patient is null || earliest is null)
            return (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

        return (new ValidReferral(
            reference!,
            patient,
            windows,
            earliest.Value.ToDateOnly(),
            timeZone,
            new Risk(request.Risk?.CurrentRisk ?? false, request.Risk?.Notes),
            new Consent(consent.Email, consent.Sms, consent.Questionnaires),
            request.PresentingProblem?.Trim()), []);
    }

    private static PatientDetails? ValidatePatient(PatientRequest? patient, LocalDate today, IntakeRules rules, Action<string, string> fail)
    {
        if (patient is null)
        {
            fail("patient", "Required.");
            return null;
        }
        var nhsNumber = NhsNumber.Normalise(patient.NhsNumber);
        if (nhsNumber is null) fail("patient.nhsNumber", "Not a valid NHS number: 10 digits with a correct check digit.");

        var givenName = ValidateName(patient.GivenName, "patient.givenName", fail);
        var familyName = ValidateName(patient.FamilyName, "patient.familyName", fail);

        var dateOfBirth = ParseDate(patient.DateOfBirth);
        if (dateOfBirth is null) fail("patient.dateOfBirth", "Required: a real date in the form YYYY-MM-DD.");
        else if (dateOfBirth > today) fail("patient.dateOfBirth", "Must not be in the future.");
        else if (Period.Between(dateOfBirth.Value, today, PeriodUnits.Years).Years is var age && (age < rules.MinimumAge || age > rules.MaximumAge))
            fail("patient.dateOfBirth", $"This service takes patients aged {rules.MinimumAge} to {rules.MaximumAge}.");

        var email = string.IsNullOrWhiteSpace(patient.Email) ? null : patient.Email.Trim();
        if (email is not null && ContactAddresses.EmailProblem(email) is { } emailProblem)
            fail("patient.email", emailProblem);

        var mobile = string.IsNullOrWhiteSpace(patient.Mobile) ? null : ContactAddresses.Mobile(patient.Mobile);
        if (!string.IsNullOrWhiteSpace(patient.Mobile) && mobile is null)
            fail("patient.mobile", "Not a mobile number: a UK mobile (07… or +447…) or an international one in E.164 (+ and the country code).");

        if (email is null && string.IsNullOrWhiteSpace(patient.Mobile))
            fail("patient", "Give an email address or a mobile number so the patient can be told their appointments.");

        return nhsNumber is null || givenName is null || familyName is null || dateOfBirth is null
            ? null
            : new PatientDetails(nhsNumber, givenName, familyName, dateOfBirth.Value.ToDateOnly(), email, mobile);
    }

    private static string? ValidateName(string? name, string field, Action<string, string> fail)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) fail(field, "Required.");
        else if (trimmed.Length > MaxNameLength) fail(field, $"At most {MaxNameLength} characters.");
        else if (!NameShape().IsMatch(trimmed)) fail(field, "Letters, spaces, apostrophes and hyphens only.");
        else return trimmed;
        return null;
    }

    /// <summary>
    /// Windows are in the patient's zone. In the UK they must lie inside the service's day; abroad they may be at any
    /// local time, but each must meet the service's day (07:00–23:00 UK time) for at least one session.
    /// </summary>
    private static IReadOnlyList<AvailabilityWindow> ValidateAvailability(List<AvailabilityRequest>? availability, DateTimeZone? zone,
        LocalDate earliestDate, Action<string, string> fail)
    {
        var inUk = zone is null || zone.Id == ServiceZone.Id;
        if (availability is null || availability.Count == 0)
        {
            fail("availability", "Give at least one weekly window, e.g. { \"day\": \"Tuesday\", \"from\": \"17:00\", \"to\": \"21:00\" }.");
            return [];
        }
        var windows = new List<AvailabilityWindow>();
        for (var i = 0; i < availability.Count; i++)
        {
            var field = $"availability[{i}]";
            var window = availability[i];
            if (window is null) { fail(field, "Required."); continue; }
            var dayKnown = Enum.TryParse<DayOfWeek>(window.Day, ignoreCase: true, out var day) && !int.TryParse(window.Day, out _);
            if (!dayKnown) fail($"{field}.day", "A weekday name, Monday to Sunday.");
            var from = ParseTime(window.From);
            var to = ParseTime(window.To);
            if (from is null) fail($"{field}.from", "A time in the form HH:mm.");
            if (to is null) fail($"{field}.to", "A time in the form HH:mm.");
            if (from is null || to is null || !dayKnown) continue;
            if (inUk && (from < DayOpens || to > DayCloses))
                fail(field, "Sessions run between 07:00 and 23:00.");
            else if (from >= to)
                fail(field, "'from' must be before 'to'.");
            else if (Period.Between(from.Value, to.Value, PeriodUnits.Minutes).Minutes < SessionMinutes)
                fail(field, $"Too short for a {SessionMinutes}-minute session.");
            else if (!inUk && !MeetsServiceDay(day, from.Value, to.Value, zone!, earliestDate))
                fail(field, $"In {zone!.Id} this window never meets the service's hours, 07:00–23:00 UK time, for a whole session.");
            else
                windows.Add(new AvailabilityWindow(day, from.Value.ToTimeOnly(), to.Value.ToTimeOnly()));
        }
        return Merge(windows);
    }

    private static readonly DateTimeZone ServiceZone = CourseShape.ServiceZone;

    /// <summary>
    /// Whether a session starting on the hour, UK time, inside 07:00–23:00 UK, falls inside the window on its weekday in the
    /// patient's zone — on the first such day, or half a year later (the clocks of the two zones may differ by then).
    /// </summary>
    private static bool MeetsServiceDay(DayOfWeek day, LocalTime from, LocalTime to, DateTimeZone zone, LocalDate earliestDate)
    {
        var first = earliestDate.With(DateAdjusters.NextOrSame(day.ToIsoDayOfWeek()));
        foreach (var date in new[] { first, first.PlusWeeks(26) })
        {
            for (var ukDate = date.PlusDays(-1); ukDate <= date.PlusDays(1); ukDate = ukDate.PlusDays(1))
            {
                for (var hour = DayOpens.Hour; hour + 1 <= DayCloses.Hour; hour++)
                {
                    var local = ukDate.At(new LocalTime(hour, 0)).InZoneLeniently(ServiceZone).WithZone(zone).LocalDateTime;
                    var end = local.PlusMinutes(SessionMinutes);
                    if (local.Date == date && end.Date == date && local.TimeOfDay >= from && end.TimeOfDay <= to) return true;
                }
            }
        }
        return false;
    }

    /// <summary>Overlapping or touching windows of one day become one, so the stored list never overlaps.</summary>
    public static IReadOnlyList<AvailabilityWindow> Merge(IEnumerable<AvailabilityWindow> windows)
    {
        var merged = new List<AvailabilityWindow>();
        foreach (var window in windows.OrderBy(w => ((int)w.Day + 6) % 7).ThenBy(w => w.From))
        {
            if (merged.Count > 0 && merged[^1].Day == window.Day && window.From <= merged[^1].To)
                merged[^1] = merged[^1] with { To = window.To > merged[^1].To ? window.To : merged[^1].To };
            else
                merged.Add(window);
        }
        return merged;
    }

    private static LocalDate? ParseDate(string? text)
    {
        var result = text is null ? null : LocalDatePattern.Iso.Parse(text);
        return result is { Success: true } ? result.Value : null;
    }

    private static LocalTime? ParseTime(string? text)
    {
        var result = text is null ? null : LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
        return result is { Success: true } ? result.Value : null;
    }
}
