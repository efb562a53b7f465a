//! The platform, tested through HTTP against a real server on port 0:
//! pages as a browser uses them and the JSON API as a program does. Each
//! test runs on SQLite and on PostgreSQL.

mod support;

mod accounts;
mod api;
mod authoring;
mod browser;
mod certificates;
mod class_progress;
mod classes;
mod email;
mod learning;
mod mail_queue;
mod publishing;
mod reports;
mod roles;
mod sessions;
