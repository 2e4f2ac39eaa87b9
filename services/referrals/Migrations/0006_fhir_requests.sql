-- Issue 24: BaRS's X-Request-Id of each message processed, per referrer: the same id again is 409 duplicate.
create table fhir_requests (
    referrer_id text not null,
    request_id text not null,
    referral_id text not null,
    at bigint not null,
    primary key (referrer_id, request_id)
);
