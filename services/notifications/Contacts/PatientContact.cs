namespace Dit.Notifications.Contacts;

/// <summary>A patient as notifications knows them.</summary>
public sealed record PatientContact(string ReferralId, string GivenName, string FamilyName, string? Email, string? Mobile, long ConsentEmail, long ConsentSms,
    long ConsentQuestionnaires = 0)
{
    /// <summary>Reminders carry a private link to the session's questionnaire (by email, or by text to a patient without email).</summary>
    public bool MayAskQuestionnaires => ConsentQuestionnaires != 0 && (MayEmail || MayText);

    /// <summary>Consent, and an address every library takes as itself (<see cref="ContactAddresses"/>).</summary>
    public bool MayEmail => ConsentEmail != 0 && !string.IsNullOrEmpty(Email) && ContactAddresses.EmailProblem(Email) is null;

    public bool MayText => ConsentSms != 0 && !string.IsNullOrEmpty(Mobile);

    public string FullName => $"{GivenName} {FamilyName}";
}
