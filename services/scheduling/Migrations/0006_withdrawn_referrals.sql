-- Referrals withdrawn by their referrer, remembered even when no course exists yet: the withdrawal and the booking
-- travel on different queues, and a withdrawal that arrives first must stop the booking, the waitlist and the review.
create table withdrawn_referrals (
    referral_id text primary key,
    withdrawn_at bigint not null
);
