-- A referral that could not be booked for a reason that will not pass by itself (issue 20) joins the review list with
-- that reason, instead of staying 'received' for good; accepting it books it again, closing it cancels it.
alter table reviews add column attention text null;
