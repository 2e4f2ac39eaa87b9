-- Reminders before each session, per channel the patient consented to; sent at most once.
create table reminders (
    id text primary key,
    course_id text not null,
    referral_id text not null,
    session_number bigint not null,
    channel text not null,              -- email | sms
    offset_minutes bigint not null,     -- how long before the session
    session_start bigint not null,
    due_at bigint not null,
    status text not null,               -- pending | sending | sent | dropped
    sent_at bigint null
);
create index reminders_due on reminders (due_at) where status = 'pending';
create unique index reminders_one_per_session on reminders (course_id, session_number, channel, offset_minutes);
