namespace Dit.Referrals.Intake;

// The body of POST /api/referrals as it arrives. Dates and times are strings here so that a bad
// one is reported against its own field rather than as unreadable JSON.

/// <param name="Questionnaires">A private link to a short questionnaire (PHQ-9, GAD-7, WSAS) in each email reminder; needs consent to email.</param>
public sealed record ConsentRequest(bool Email, bool Sms, bool Questionnaires = false);
