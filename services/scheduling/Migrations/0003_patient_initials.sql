-- The coordinator's diary shows patient initials; scheduling keeps nothing more of the patient.
alter table courses add column patient_initials text null;
