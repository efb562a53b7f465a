//! Coordinator reports: indexes for the dashboard and funder report (each
//! figure filters on its event's own date), and `users.erased_at`, set when
//! a coordinator erases a learner's personal data (the row stays, with no
//! name, so the figures that count it stay the same).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    EnrolledAt,
    CompletedAt,
    LastActiveAt,
    CourseSlug,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Outcomes {
    Table,
    HappenedOn,
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        // The dashboard's pass over the enrolments (started, active,
        // completed per course) reads this index alone, not the table.
        Index::create()
            .name("enrolments_report")
            .table(Enrolments::Table)
            .col(Enrolments::CourseSlug)
            .col(Enrolments::EnrolledAt)
            .col(Enrolments::CompletedAt)
            .col(Enrolments::LastActiveAt)
            .to_owned(),
        // "Completed in the range" and the days it took, from the index alone.
        Index::create()
            .name("enrolments_by_completed")
            .table(Enrolments::Table)
            .col(Enrolments::CompletedAt)
            .col(Enrolments::CourseSlug)
            .col(Enrolments::EnrolledAt)
            .to_owned(),
        // "Active in the last 30 days".
        Index::create()
            .name("enrolments_by_last_active")
            .table(Enrolments::Table)
            .col(Enrolments::LastActiveAt)
            .to_owned(),
        Index::create()
            .name("certificates_by_issued")
            .table(Certificates::Table)
            .col(Certificates::IssuedAt)
            .to_owned(),
        Index::create()
            .name("outcomes_by_date")
            .table(Outcomes::Table)
            .col(Outcomes::HappenedOn)
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::ErasedAt))
                    .to_owned(),
            )
            .await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "enrolments_report",
            "enrolments_by_completed",
            "enrolments_by_last_active",
            "certificates_by_issued",
            "outcomes_by_date",
        ] {
            manager
                .drop_index(Index::drop().name(name).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::ErasedAt)
                    .to_owned(),
            )
            .await
    }
}
