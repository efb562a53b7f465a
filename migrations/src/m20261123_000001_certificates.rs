//! Certificates: issued once per learner and course, in the same
//! transaction as the completion. The row keeps what the certificate says
//! at issue time (name, title, organisation), so later edits to a course or
//! an account do not change a certificate already given.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    UserId,
    CourseSlug,
    CourseVersion,
    LearnerName,
    Title,
    CourseTitle,
    Sector,
    Level,
    Hours,
    Organisation,
    IssuedAt,
    ExpiresAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Certificates::Table)
                    .if_not_exists()
                    .col(string(Certificates::Id).primary_key())
                    .col(integer(Certificates::UserId))
                    .col(string(Certificates::CourseSlug))
                    .col(integer(Certificates::CourseVersion))
                    .col(string(Certificates::LearnerName))
                    .col(string(Certificates::Title))
                    .col(string(Certificates::CourseTitle))
                    .col(string(Certificates::Sector))
                    .col(string(Certificates::Level))
                    .col(double_null(Certificates::Hours))
                    .col(string(Certificates::Organisation))
                    .col(timestamp_with_time_zone(Certificates::IssuedAt))
                    .col(timestamp_with_time_zone_null(Certificates::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Certificates::RevokedAt))
                    .col(text_null(Certificates::RevokedReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificates::Table, Certificates::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("certificates_once_per_course")
                    .table(Certificates::Table)
                    .col(Certificates::UserId)
                    .col(Certificates::CourseSlug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Certificates::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
