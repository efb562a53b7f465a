//! The platform, tested through HTTP against a real server on port 0:
//! pages as a browser uses them and the JSON API as a program does. Each
//! test runs on SQLite and on PostgreSQL.

mod support;

mod accounts;
mod api;
mod authoring;
mod backup;
mod browser;
mod browser_classes;
mod browser_live;
mod certificates;
mod class_progress;
mod class_safety;
mod class_upkeep;
mod classes;
mod course_owners;
mod course_versions;
mod email;
mod faults;
mod hardening;
mod home_language;
mod learning;
mod live;
mod mail_queue;
mod media;
mod numbers;
mod parity;
mod publishing;
mod quiz_slips;
mod reports;
mod roles;
mod schemathesis;
mod sectors;
mod sessions;
mod throttling;
