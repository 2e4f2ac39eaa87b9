create table referrers (
    id text primary key,
    name text not null,
    key_hash text not null unique,
    created_at bigint not null,
    revoked_at bigint null
);

create table referrals (
    id text primary key,
    referrer_id text not null references referrers (id),
    referrer_reference text not null,
    request_hash text not null,
    request_json text not null,
    status text not null,
    booking_json text null,
    created_at bigint not null,
    updated_at bigint not null,
    unique (referrer_id, referrer_reference)
);

create table referral_history (
    referral_id text not null references referrals (id),
    status text not null,
    detail text null,
    at bigint not null
);
create index referral_history_by_referral on referral_history (referral_id, at);
