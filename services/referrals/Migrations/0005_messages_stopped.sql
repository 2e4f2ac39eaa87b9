-- Issue 23: the patient stopped a channel's messages from the link in one (notifications' MessagesStopped): their
-- consent to it is withdrawn here too — the therapist's list shows it, and nothing new asks for it.
alter table referrals add column email_stopped_at bigint null;
alter table referrals add column sms_stopped_at bigint null;
