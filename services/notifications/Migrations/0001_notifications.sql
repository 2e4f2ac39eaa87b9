-- Contact details and consent arrive with ReferralAccepted; notifications owns them from then on.
create table patients (
    referral_id text primary key,
    given_name text not null,
    family_name text not null,
    email text null,
    mobile text null,
    consent_email bigint not null,
    consent_sms bigint not null,
    created_at bigint not null
);

-- One calendar series per course: its UID is stable and its SEQUENCE rises with every change.
create table calendar_series (
    course_id text primary key,
    referral_id text not null,
    uid text not null unique,
    sequence bigint not null,
    time_zone text not null,
    status text not null,
    sessions_json text not null,     -- the sessions as the patient's calendar should show them
    updated_at bigint not null
);

-- Mail is queued in the consumer's transaction and sent by the dispatcher, so a crash never loses one.
create table outgoing_mail (
    id text primary key,
    referral_id text not null,
    kind text not null,
    to_address text not null,
    subject text not null,
    text_body text not null,
    html_body text not null,
    calendar text not null,
    calendar_method text not null,
    created_at bigint not null,
    next_attempt_at bigint not null,
    attempts bigint not null,
    last_error text null,
    sent_at bigint null
);
create index outgoing_mail_due on outgoing_mail (next_attempt_at) where sent_at is null;
