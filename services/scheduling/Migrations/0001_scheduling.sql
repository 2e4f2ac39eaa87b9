create table coordinators (
    id text primary key,
    name text not null,
    key_hash text not null unique,
    created_at bigint not null,
    revoked_at bigint null
);

create table therapists (
    id text primary key,
    name text not null,
    max_sessions_per_week bigint not null,
    created_at bigint not null
);

-- Local wall-clock ranges in the service's time zone; several ranges a day are allowed.
create table working_hours (
    therapist_id text not null references therapists (id),
    weekday bigint not null,        -- ISO: 1 = Monday … 7 = Sunday
    from_minute bigint not null,    -- minutes after local midnight
    to_minute bigint not null
);
create index working_hours_by_therapist on working_hours (therapist_id);

create table courses (
    id text primary key,
    referral_id text not null unique,
    therapist_id text not null references therapists (id),
    time_zone text not null,
    weekday bigint not null,
    local_time text not null,
    status text not null,
    sequence bigint not null,
    created_at bigint not null
);

create table appointments (
    id text primary key,
    course_id text not null references courses (id),
    therapist_id text not null references therapists (id),
    session_number bigint not null,
    local_start text not null,
    start_utc bigint not null,
    end_utc bigint not null,
    status text not null
);
-- The database itself refuses two active appointments of one therapist at one time (design §4).
create unique index appointments_one_per_therapist_time on appointments (therapist_id, start_utc) where status = 'booked';
create index appointments_by_course on appointments (course_id, session_number);

create table waitlist (
    referral_id text primary key,
    request_json text not null,
    reason text not null,
    since bigint not null
);

-- Referrals that reported current risk wait here for a coordinator's decision.
create table reviews (
    referral_id text primary key,
    referrer_id text not null,
    referrer_reference text not null,
    risk_notes text null,
    presenting_problem text null,
    earliest_start text not null,
    received_at bigint not null,
    decision text null,
    reason text null,
    decided_by text null,
    decided_at bigint null
);
