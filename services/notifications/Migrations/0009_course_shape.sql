-- Each course's shape as scheduling booked it (CourseBooked.Shape): what the invite, the updates, the cancellation and the
-- feed say of its length, its sessions' minutes and its phases. Series made before this are the standard shape.
alter table calendar_series add column course_sessions bigint not null default 16;
alter table calendar_series add column session_minutes bigint not null default 50;
alter table calendar_series add column middle_from bigint not null default 5;
alter table calendar_series add column ending_from bigint not null default 13;
