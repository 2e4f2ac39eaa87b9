-- Issue 22: a therapist sees the name and contact details of their own patients only, from here (scheduling holds no
-- identity). The therapist who holds each referral's course (from scheduling's bookings and reassignments), and which
-- person at the provider each therapist is (scheduling's TherapistPeople, the newest set kept).
alter table referrals add column therapist_id text null;
create index referrals_by_therapist on referrals (therapist_id);
create table therapist_people (
    therapist_id text primary key,
    person_id text null,
    as_of bigint not null
);
