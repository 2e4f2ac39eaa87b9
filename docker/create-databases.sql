create database referrals;
create database scheduling;
create database notifications;
