-- Reminders exactly once: a claim (status 'sending') carries when it was made; one older than the claim timeout was
-- left by a process that stopped mid-send, and is tried again (with the same Message-ID, so a mail that did go is the
-- same mail twice, which mail clients show once). A reminder that failed to go returns to 'pending' until its session.
alter table reminders add column claimed_at bigint null;
alter table reminders add column attempts bigint not null default 0;
