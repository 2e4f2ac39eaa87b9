-- The patient's private calendar feed: only the token's SHA-256 is kept.
alter table calendar_series add column feed_token_hash text null;
alter table calendar_series add column feed_revoked_at bigint null;
create unique index calendar_series_by_feed_token on calendar_series (feed_token_hash);

-- Every message sent or tried, for coordinators: what, to whom (masked), when, outcome.
create table message_log (
    id text primary key,
    referral_id text not null,
    kind text not null,
    channel text not null,
    to_masked text not null,
    at bigint not null,
    outcome text not null
);
create index message_log_by_referral on message_log (referral_id, at);

-- Coordinators' keys, for the notifications API (hashes only).
create table coordinators (
    id text primary key,
    name text not null,
    key_hash text not null unique,
    created_at bigint not null,
    revoked_at bigint null
);
