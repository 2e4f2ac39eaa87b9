-- The audit trail (issue 22): every read or change of a patient's data that this service served, who did it, when.
-- Append-only: each row carries the hash of the one before (AuditTrail), and the triggers below refuse every update and
-- every delete of a row younger than 8 years (2922 days) — the shortest retention Audit:RetentionYears may set — for
-- every role that does not own the table, the service's own included. The same for SQLite: 9004_audit_trail.sqlite.sql.
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

create function refuse_audit_change() returns trigger language plpgsql as $$
begin
    if tg_op <> 'DELETE' or old.at > (extract(epoch from now()) * 1000)::bigint - 252460800000 then
        raise exception 'audit_trail is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end if;
    return old;
end
$$;
create trigger audit_trail_append_only before update or delete on audit_trail
    for each row execute function refuse_audit_change();
create trigger audit_trail_no_truncate before truncate on audit_trail
    for each statement execute function refuse_audit_change();
revoke update, delete, truncate on audit_trail from public;
