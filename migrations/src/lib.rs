//! Database migrations, applied by the server at start-up.
//!
//! Each migration is a timestamped module (`mYYYYMMDD_HHMMSS_name.rs`) listed in
//! order below. The same migrations build the SQLite and the PostgreSQL
//! schema, so both databases behave the same.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_platform;
mod m20261123_000001_certificates;
mod m20261123_000002_mail;
mod m20261123_000003_classes;
mod m20261123_000005_reports;
mod m20261123_000006_report_rollup;
mod m20261206_000001_class_invitations;
mod m20261206_000002_course_authors;
mod m20261206_000003_mail_account;
mod m20261206_000005_sessions;
mod m20261207_000001_live_classes;
mod m20261207_000010_home_language;
mod m20261207_000020_class_archive;

pub use m20261123_000006_report_rollup::rebuild_statements as rebuild_report_rollup;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_platform::Migration),
            Box::new(m20261123_000001_certificates::Migration),
            Box::new(m20261123_000002_mail::Migration),
            Box::new(m20261123_000003_classes::Migration),
            Box::new(m20261123_000005_reports::Migration),
            Box::new(m20261123_000006_report_rollup::Migration),
            Box::new(m20261206_000001_class_invitations::Migration),
            Box::new(m20261206_000002_course_authors::Migration),
            Box::new(m20261206_000003_mail_account::Migration),
            Box::new(m20261206_000005_sessions::Migration),
            Box::new(m20261207_000001_live_classes::Migration),
            Box::new(m20261207_000010_home_language::Migration),
            Box::new(m20261207_000020_class_archive::Migration),
        ]
    }
}
