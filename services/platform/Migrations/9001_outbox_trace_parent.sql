-- The trace that wrote each outbox row (a W3C traceparent, null when tracing is off), so that publishing it later
-- continues that trace instead of starting one. The platform's later migrations are numbered from 9001 up, clear of
-- the services' own numbers; the migrator records each by its number.
alter table outbox add column trace_parent text null;
