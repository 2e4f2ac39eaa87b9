-- Issue 24: BaRS referrers and the news sent back to them.
-- A referring service's BaRS details, kept by an administrator: its ODS code (a message's NHSD-End-User-Organisation
-- must name it) and where its news goes (its own $process-message, or the BaRS proxy's).
create table referrer_fhir (
    referrer_id text primary key,
    ods_code text not null,
    news_endpoint text null
);
-- Where a referral sent by BaRS has its news sent: the endpoint, the message's correlation id and header id, and the
-- sender's BaRS target identifier when it named one (system|value) rather than a URL.
create table bars_replies (
    referral_id text primary key,
    endpoint text not null,
    correlation_id text not null,
    request_message_id text not null,
    target_identifier text null
);
-- The news itself: one servicerequest-response message per change, sent in order per referral (seq), retried while the
-- sender is down; one it refuses for good is kept with its answer and the next goes on.
create table bars_news (
    id text primary key,
    referral_id text not null,
    seq bigint not null,
    body text not null,
    created_at bigint not null,
    next_attempt_at bigint not null,
    attempts bigint not null default 0,
    sent_at bigint null,
    refused_at bigint null,
    last_error text null
);
create unique index bars_news_by_referral on bars_news (referral_id, seq);
create index bars_news_due on bars_news (next_attempt_at) where sent_at is null and refused_at is null;
