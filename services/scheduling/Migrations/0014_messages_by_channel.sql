-- Issue 23: texts as well as mail can fail to reach a patient (Notify refused the number, or reported it does not exist),
-- and a patient can stop a channel's messages: each row says which channel.
alter table undeliverable_mail add column channel text not null default 'email';
