-- The trace that queued each mail (a W3C traceparent, null when tracing is off): sending it continues that trace.
alter table outgoing_mail add column trace_parent text null;
