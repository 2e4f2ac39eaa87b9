-- Issue 25: the patient's earliest start kept with their course, so that a course booked to start far off can be
-- brought forward (a window the patient agreed to) without ever starting before the date the patient gave. Courses
-- booked before this column have none and are not offered an earlier start.
alter table courses add column earliest_start text null;
