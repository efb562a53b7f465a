//! The platform, tested through HTTP against a real server on port 0:
//! pages as a browser uses them and the JSON API as a program does. Each
//! test runs on SQLite and on PostgreSQL.

mod support;

mod accounts;
mod api;
mod browser;
mod certificates;
mod learning;
mod publishing;
mod reports;
mod roles;
