namespace Dit.Notifications.Contacts;

/// <summary>The patient's contact details and consents, as the referral gave them (<see cref="RecordPatientContact"/>).</summary>
public static class Patients
{
    public static Task<PatientContact?> FindAsync(DbConnection connection, DbTransaction transaction, string referralId) =>
        connection.QuerySingleOrDefaultAsync<PatientContact>(
            """
            select referral_id as ReferralId, given_name as GivenName, family_name as FamilyName, email as Email,
                   mobile as Mobile, consent_email as ConsentEmail, consent_sms as ConsentSms,
                   consent_questionnaires as ConsentQuestionnaires
            from patients where referral_id = @referralId
            """, new { referralId }, transaction);
}
