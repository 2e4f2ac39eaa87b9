-- A session's outcome measures (design §9): the answers item by item (JSON arrays) and their totals. Health data: kept
-- here only, never logged, never sent to another service (the outcome travels, the scores do not).
create table session_scores (
    course_id text not null references courses (id),
    session_number bigint not null,
    phq9_items text not null,
    gad7_items text not null,
    wsas_items text null,
    phq9 bigint not null,
    gad7 bigint not null,
    wsas bigint null,
    recorded_by text not null,      -- 'patient', or 'coordinator:<id>'
    recorded_at bigint not null,
    primary key (course_id, session_number)
);

-- Private questionnaire links: only the SHA-256 of each token; notifications made the token and mailed it.
create table questionnaire_links (
    token_hash text primary key,
    course_id text not null,
    session_number bigint not null,
    issued_at bigint not null
);

-- PHQ-9 item 9 above 0: the course waits for clinical review from that moment until a coordinator marks it reviewed.
alter table courses add column clinical_review_since bigint null;
alter table courses add column clinical_review_session bigint null;
alter table courses add column clinical_reviewed_by text null;
-- Why a course ended early, and its outcome (JSON) once it has ended.
alter table courses add column ended_reason text null;
alter table courses add column outcome_json text null;
-- When the referral was made, for the waiting-time figures (first session within 6 and 18 weeks of referral).
alter table courses add column referred_at bigint null;
