-- Personal API keys (issue 22): a key with a person_id acts as that person — their id and name at the provider, the
-- roles they held when they made it — until expires_at (never, if null) or until revoked. A key without one is a
-- coordinator key made with the `keys` command, as before.
alter table coordinators add column person_id text null;
alter table coordinators add column person_name text null;
alter table coordinators add column roles text null;
alter table coordinators add column expires_at bigint null;
