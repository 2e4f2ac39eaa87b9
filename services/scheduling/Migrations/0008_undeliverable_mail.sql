-- Mail notifications could not deliver to a patient (MailUndeliverable): listed for coordinators, who reach the
-- patient another way. The reason is the mail server's answer with addresses masked. One row per mail (the same
-- news twice, under two message ids, is kept once).
create table undeliverable_mail (
    referral_id text not null,
    kind text not null,
    reason text not null,
    rejections bigint not null,
    at bigint not null,
    primary key (referral_id, kind, at)
);
create index undeliverable_mail_at on undeliverable_mail (at);
