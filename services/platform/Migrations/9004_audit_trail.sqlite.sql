-- The audit trail (issue 22); see 9004_audit_trail.postgres.sql. SQLite has no roles: the triggers refuse every update,
-- and every delete of a row younger than 8 years (2922 days), whoever asks.
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

create trigger audit_trail_no_update before update on audit_trail begin
    select raise(abort, 'audit_trail is append-only: UPDATE refused');
end;
create trigger audit_trail_no_delete before delete on audit_trail
    when old.at > cast(strftime('%s', 'now') as integer) * 1000 - 252460800000 begin
    select raise(abort, 'audit_trail is append-only: DELETE refused');
end;
