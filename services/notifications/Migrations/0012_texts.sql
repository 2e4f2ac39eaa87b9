-- Issue 23: texts through GOV.UK Notify for a course's booking, changes and cancellation, queued in the transaction that
-- makes them and sent by the TextDispatcher (as outgoing_mail is for mail). kind names the Notify template (booked,
-- changed, cancelled); personalisation is its fields as JSON, body the same message as plain text (written to a file
-- when no Notify service is set). delivery is what Notify's delivery receipt said (delivered, permanent-failure,
-- temporary-failure, technical-failure), for these texts and for text reminders.
create table outgoing_texts (
    id text primary key,
    referral_id text not null,
    kind text not null,
    to_number text not null,
    personalisation text not null,
    body text not null,
    created_at bigint not null,
    next_attempt_at bigint not null,
    attempts bigint not null default 0,
    sent_at bigint null,
    undeliverable_at bigint null,
    last_error text null,
    delivery text null,
    delivery_at bigint null
);
create index outgoing_texts_due on outgoing_texts (next_attempt_at);
create index outgoing_texts_referral on outgoing_texts (referral_id);
alter table reminders add column delivery text null;
alter table reminders add column delivery_at bigint null;

-- Issue 23: the link in every message that stops that channel's messages (confirmed on a page; private like the
-- questionnaire link: only the token's hash is kept). One per message sent; all of a patient's work.
create table stop_links (
    token_hash text primary key,
    referral_id text not null,
    channel text not null,
    created_at bigint not null
);
