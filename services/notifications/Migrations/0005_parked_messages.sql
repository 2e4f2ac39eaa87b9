-- Messages that arrived before what they depend on — a change to a course before the course's booking, a booking before
-- the patient's contact details (they travel on different queues) — kept here and applied when the other arrives,
-- instead of failing and leaning on the retry policy.
create table parked_messages (
    id text primary key,
    waits_for text not null,            -- 'course:{courseId}' or 'referral:{referralId}'
    message_type text not null,
    body text not null,
    parked_at bigint not null
);
create index parked_messages_waiting on parked_messages (waits_for);
