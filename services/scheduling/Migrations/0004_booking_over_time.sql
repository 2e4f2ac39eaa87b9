-- Bank holidays now follow from their rules for any year (BankHolidays.cs); closed_days keeps only the one-off days
-- coordinators add, and opened_days the bank holidays they open.
delete from closed_days where name in ('New Year''s Day', 'Good Friday', 'Easter Monday', 'Early May bank holiday',
    'Spring bank holiday', 'Summer bank holiday', 'Christmas Day', 'Boxing Day', 'Boxing Day (substitute day)',
    'Christmas Day (substitute day)', 'New Year''s Day (substitute day)');
create table opened_days (
    day text primary key
);

-- Weeks a course skips because the patient's only time that week was closed (dates of the weekly time, comma-separated).
alter table courses add column skipped_weeks text null;

-- Why a waitlisted referral has no course yet, and when the search last ran for it.
alter table waitlist add column last_tried bigint null;
-- When the reason was last worked out (a year-ahead search, redone at most weekly by the retry).
alter table waitlist add column explained_at bigint null;
