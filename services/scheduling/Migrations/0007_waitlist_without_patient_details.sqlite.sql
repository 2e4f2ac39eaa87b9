-- Scheduling keeps no NHS number, name, date of birth or contact details: waiting referrals stored as ReferralAccepted
-- become ReferralForBooking (times, zone, earliest start, initials). The PostgreSQL version is next to this file.
update waitlist set request_json = json_object(
        'referralId', json_extract(request_json, '$.referralId'),
        'referrerId', json_extract(request_json, '$.referrerId'),
        'availability', json(json_extract(request_json, '$.availability')),
        'earliestStart', json_extract(request_json, '$.earliestStart'),
        'timeZone', json_extract(request_json, '$.timeZone'),
        'patientInitials', upper(substr(trim(coalesce(json_extract(request_json, '$.patient.givenName'), '')), 1, 1))
            || upper(substr(trim(coalesce(json_extract(request_json, '$.patient.familyName'), '')), 1, 1)),
        'occurredAt', json_extract(request_json, '$.occurredAt'))
where json_extract(request_json, '$.patient') is not null;
