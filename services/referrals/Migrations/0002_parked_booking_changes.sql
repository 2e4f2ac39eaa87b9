-- A change to a course that reaches referrals before the course's booking (another queue) waits here for it.
create table parked_booking_changes (
    id text primary key,
    referral_id text not null,
    message_type text not null,
    body text not null,
    parked_at bigint not null
);
create index parked_booking_changes_by_referral on parked_booking_changes (referral_id);
