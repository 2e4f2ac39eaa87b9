-- Every service's database holds its own outbox and inbox (design §6).
create table outbox (
    id text primary key,
    message_type text not null,
    body text not null,
    created_at bigint not null,
    sent_at bigint null
);
create index outbox_unsent on outbox (created_at) where sent_at is null;

create table inbox (
    message_id text not null,
    consumer text not null,
    processed_at bigint not null,
    primary key (message_id, consumer)
);
