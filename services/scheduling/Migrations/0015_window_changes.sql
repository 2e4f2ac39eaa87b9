-- Issue 25: a coordinator adds a weekly window to a waiting patient's availability (the patient agreed to a time the
-- system suggested), with the reason: who, when, which window and why. The referral's booking is tried at once.
create table window_changes (
    referral_id text not null,
    changed_at bigint not null,
    changed_by text not null,
    window_json text not null,
    reason text not null
);
create index window_changes_by_referral on window_changes (referral_id);
