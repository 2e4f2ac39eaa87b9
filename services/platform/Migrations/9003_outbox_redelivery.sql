-- A consumed message that failed for a reason that may pass is handed back to its own queue later, through the outbox,
-- instead of being retried in the lane where other messages wait (issue 20). Such a row names its queue (destination),
-- the message's own id (message_id, so the consumers' inboxes still know it), which redelivery this is, and the moment
-- before which it is not sent (not_before).
alter table outbox add column destination text null;
alter table outbox add column message_id text null;
alter table outbox add column redelivery bigint null;
alter table outbox add column not_before bigint null;
