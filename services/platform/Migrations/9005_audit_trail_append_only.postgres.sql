-- The audit trail is append-only: these triggers refuse every update and truncate, and every delete of a row younger
-- than 8 years (2922 days) — the shortest retention Audit:RetentionYears may set — for every role, the service's own
-- included; only the table's owner can switch them off, and the hash chain shows what was done. SQLite: the .sqlite.sql.
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
