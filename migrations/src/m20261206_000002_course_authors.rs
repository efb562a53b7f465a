//! Who may change a course: its owner (the tutor who first published it, or
//! one an admin assigned) and the co-authors added by the owner or an admin.
//! A course with no rows here belongs to the admins. At most one owner per
//! course, enforced by a partial unique index (the same SQL on SQLite and
//! PostgreSQL), so two instances can never both record a first publisher.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CourseAuthors {
    Table,
    CourseSlug,
    UserId,
    Role,
    AddedAt,
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
                    .table(CourseAuthors::Table)
                    .if_not_exists()
                    .col(string(CourseAuthors::CourseSlug))
                    .col(integer(CourseAuthors::UserId))
                    // `owner` or `co-author`.
                    .col(string(CourseAuthors::Role))
                    .col(timestamp_with_time_zone(CourseAuthors::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(CourseAuthors::CourseSlug)
                            .col(CourseAuthors::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseAuthors::Table, CourseAuthors::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("course_authors_by_user")
                    .table(CourseAuthors::Table)
                    .col(CourseAuthors::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS course_authors_one_owner \
                 ON course_authors (course_slug) WHERE role = 'owner'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CourseAuthors::Table).to_owned())
            .await
    }
}
