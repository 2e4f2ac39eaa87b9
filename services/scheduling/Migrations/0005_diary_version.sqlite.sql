-- A therapist's diary version: raised by every change to what the course search reads of them (their booked
-- sessions, leave, working hours), whoever makes it. Scheduling keeps diaries in memory (DiaryCache) and reloads a
-- therapist only when this has moved. The same triggers for PostgreSQL are in 0005_diary_version.postgres.sql.
alter table therapists add column diary_version bigint not null default 0;

create trigger appointments_diary_version_insert after insert on appointments begin
    update therapists set diary_version = diary_version + 1 where id = new.therapist_id;
end;
create trigger appointments_diary_version_update after update of status, start_utc, therapist_id on appointments begin
    update therapists set diary_version = diary_version + 1 where id in (old.therapist_id, new.therapist_id);
end;
create trigger appointments_diary_version_delete after delete on appointments begin
    update therapists set diary_version = diary_version + 1 where id = old.therapist_id;
end;

create trigger leave_diary_version_insert after insert on leave begin
    update therapists set diary_version = diary_version + 1 where id = new.therapist_id;
end;
create trigger leave_diary_version_update after update on leave begin
    update therapists set diary_version = diary_version + 1 where id in (old.therapist_id, new.therapist_id);
end;
create trigger leave_diary_version_delete after delete on leave begin
    update therapists set diary_version = diary_version + 1 where id = old.therapist_id;
end;

create trigger working_hours_diary_version_insert after insert on working_hours begin
    update therapists set diary_version = diary_version + 1 where id = new.therapist_id;
end;
create trigger working_hours_diary_version_update after update on working_hours begin
    update therapists set diary_version = diary_version + 1 where id in (old.therapist_id, new.therapist_id);
end;
create trigger working_hours_diary_version_delete after delete on working_hours begin
    update therapists set diary_version = diary_version + 1 where id = old.therapist_id;
end;
