-- The audit trail is append-only (see the .postgres.sql). SQLite has no roles: the triggers refuse every update, and
-- every delete of a row younger than 8 years (2922 days), whoever asks.
create trigger audit_trail_no_update before update on audit_trail begin
    select raise(abort, 'audit_trail is append-only: UPDATE refused');
end;
create trigger audit_trail_no_delete before delete on audit_trail
    when old.at > cast(strftime('%s', 'now') as integer) * 1000 - 252460800000 begin
    select raise(abort, 'audit_trail is append-only: DELETE refused');
end;
