-- Mail that gives up: a permanent rejection (an SMTP 5xx answer) counts in rejections, and after
-- Notifications:Mail:RejectionsBeforeUndeliverable of them the mail is marked undeliverable and no longer tried.
-- A send is claimed by moving next_attempt_at a lease ahead; the SMTP conversation happens outside any transaction.
alter table outgoing_mail add column rejections bigint not null default 0;
alter table outgoing_mail add column undeliverable_at bigint null;
