-- A therapist's diary version: raised by every change to what the course search reads of them (their booked
-- sessions, leave, working hours), whoever makes it. Scheduling keeps diaries in memory (DiaryCache) and reloads a
-- therapist only when this has moved. The same triggers for SQLite are in 0005_diary_version.sqlite.sql.
alter table therapists add column diary_version bigint not null default 0;

create function raise_diary_version() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        update therapists set diary_version = diary_version + 1 where id = old.therapist_id;
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.therapist_id is distinct from old.therapist_id) then
        update therapists set diary_version = diary_version + 1 where id = new.therapist_id;
    end if;
    return null;
end
$$;

create trigger appointments_diary_version after insert or delete or update of status, start_utc, therapist_id on appointments
    for each row execute function raise_diary_version();
create trigger leave_diary_version after insert or delete or update on leave
    for each row execute function raise_diary_version();
create trigger working_hours_diary_version after insert or delete or update on working_hours
    for each row execute function raise_diary_version();
