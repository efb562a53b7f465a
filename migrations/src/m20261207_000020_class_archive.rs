//! A class can be archived at the end of a term: it leaves the class lists
//! of its tutor and learners (and learners' home pages) but stays in
//! reports, and can be brought back. `archived_at` is when; null while the
//! class is in use.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Classes {
    Table,
    ArchivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Classes::Table)
                    .add_column(timestamp_with_time_zone_null(Classes::ArchivedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Classes::Table)
                    .drop_column(Classes::ArchivedAt)
                    .to_owned(),
            )
            .await
    }
}
