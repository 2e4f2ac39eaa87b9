-- Consent to a private questionnaire link (PHQ-9, GAD-7, WSAS) in each email reminder.
alter table patients add column consent_questionnaires bigint not null default 0;
