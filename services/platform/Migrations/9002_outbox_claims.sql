-- The outbox relay claims a batch by moving claimed_until a lease ahead, in a short transaction, then publishes outside
-- any transaction and marks the rows sent. A relay that stops mid-publish leaves its claim to run out; the rows are then
-- published again (same MessageId, dropped by the receivers' inboxes).
alter table outbox add column claimed_until bigint null;
