create table notes (id text primary key, body text not null);
