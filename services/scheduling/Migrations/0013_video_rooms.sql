-- Issue 23: each course's private video room (its joining address, from Scheduling:Video:JoinUrlTemplate), kept
-- through moves and reassignment; null where no video platform is set.
alter table courses add column join_url text null;
