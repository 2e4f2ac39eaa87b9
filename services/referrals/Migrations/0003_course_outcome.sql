-- A course's outcome (NHS Talking Therapies definitions, no scores) once it has ended; the newest wins.
alter table referrals add column outcome_json text null;
alter table referrals add column outcome_at bigint null;
