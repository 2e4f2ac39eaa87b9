-- Leave: whole local dates (service zone), inclusive.
create table leave (
    id text primary key,
    therapist_id text not null references therapists (id),
    from_date text not null,
    to_date text not null,
    reason text null,
    created_at bigint not null
);
create index leave_by_therapist on leave (therapist_id, from_date);

-- Days the whole service is closed (bank holidays and any the clinic adds).
create table closed_days (
    day text primary key,
    name text not null
);

-- England and Wales bank holidays (gov.uk), 2026–2028. Editable through the API.
insert into closed_days (day, name) values
    ('2026-01-01', 'New Year''s Day'), ('2026-04-03', 'Good Friday'), ('2026-04-06', 'Easter Monday'),
    ('2026-05-04', 'Early May bank holiday'), ('2026-05-25', 'Spring bank holiday'), ('2026-08-31', 'Summer bank holiday'),
    ('2026-12-25', 'Christmas Day'), ('2026-12-28', 'Boxing Day (substitute day)'),
    ('2027-01-01', 'New Year''s Day'), ('2027-03-26', 'Good Friday'), ('2027-03-29', 'Easter Monday'),
    ('2027-05-03', 'Early May bank holiday'), ('2027-05-31', 'Spring bank holiday'), ('2027-08-30', 'Summer bank holiday'),
    ('2027-12-27', 'Christmas Day (substitute day)'), ('2027-12-28', 'Boxing Day (substitute day)'),
    ('2028-01-03', 'New Year''s Day (substitute day)'), ('2028-04-14', 'Good Friday'), ('2028-04-17', 'Easter Monday'),
    ('2028-05-01', 'Early May bank holiday'), ('2028-05-29', 'Spring bank holiday'), ('2028-08-28', 'Summer bank holiday'),
    ('2028-12-25', 'Christmas Day'), ('2028-12-26', 'Boxing Day');

-- What a course needs for rescheduling within the patient's windows, and for attendance.
alter table courses add column availability_json text null;
alter table courses add column flagged_for_review bigint not null default 0;
alter table appointments add column attendance text null;
alter table appointments add column cancelled_by text null;
