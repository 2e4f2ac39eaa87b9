-- Issue 23: the course's video room (from scheduling's CourseBooked), in the invite, the feed and every reminder.
alter table calendar_series add column join_url text null;
