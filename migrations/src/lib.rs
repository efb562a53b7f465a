//! Database migrations, applied by the server at start-up.
//!
//! Each migration is a timestamped module (`mYYYYMMDD_HHMMSS_name.rs`) listed in
//! order below. The tables arrive with the platform (accounts, progress,
//! certificates); the compiler itself needs no database.
pub use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        Vec::new()
    }
}
