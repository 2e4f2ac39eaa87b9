-- Scheduling keeps no NHS number, name, date of birth or contact details: waiting referrals stored as ReferralAccepted
-- become ReferralForBooking (times, zone, earliest start, initials). The SQLite version is next to this file.
update waitlist set request_json = jsonb_build_object(
        'referralId', j -> 'referralId',
        'referrerId', j -> 'referrerId',
        'availability', j -> 'availability',
        'earliestStart', j -> 'earliestStart',
        'timeZone', j -> 'timeZone',
        'patientInitials', upper(left(trim(coalesce(j -> 'patient' ->> 'givenName', '')), 1)) || upper(left(trim(coalesce(j -> 'patient' ->> 'familyName', '')), 1)),
        'occurredAt', j -> 'occurredAt')::text
from (select referral_id as id, request_json::jsonb as j from waitlist) old
where waitlist.referral_id = old.id and old.j ? 'patient';
