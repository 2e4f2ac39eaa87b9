-- A therapist's own sign-in (issue 22): the person's id at the provider (its `sub`), set by an administrator. A
-- therapist signed in sees their own diary and caseload only; one person is at most one therapist.
alter table therapists add column user_id text null;
create unique index therapists_user_id on therapists (user_id);
