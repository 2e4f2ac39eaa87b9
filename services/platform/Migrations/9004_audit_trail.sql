-- The audit trail (issue 22): every read or change of a patient's data that this service served, who did it, when.
-- Each row carries the hash of the one before (AuditTrail). 9005 makes the table append-only in each database.
create table audit_trail (
    seq bigint primary key,
    at bigint not null,
    actor_role text not null,
    actor_id text not null,
    actor_name text null,
    on_behalf_of text null,
    referral_id text null,
    course_id text null,
    action text not null,
    changes text null,
    trace_id text null,
    prev_hash text not null,
    hash text not null
);
create index audit_trail_referral on audit_trail (referral_id, seq);
create index audit_trail_course on audit_trail (course_id, seq);
