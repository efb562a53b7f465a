//! The learning platform: accounts, API tokens, site settings, published
//! courses, enrolments, progress and quiz attempts.
//!
//! Progress rows are keyed by the compiler's stable lesson ids (not by a
//! foreign key to a lesson row), so republishing an edited course keeps them
//! and a removed lesson leaves its history in place.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    FullName,
    Email,
    Role,
    PasswordHash,
    Language,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SiteSettings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Slug,
    Version,
    ContentHash,
    Title,
    Sector,
    Level,
    Hours,
    Summary,
    Compiled,
    PublishedAt,
}

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    Id,
    UserId,
    CourseSlug,
    EnrolledAt,
    LastLessonId,
    LastActiveAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    Id,
    UserId,
    CourseSlug,
    LessonId,
    Kind,
    CompletedAt,
    BestScore,
    Passed,
    Attempts,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuizAttempts {
    Table,
    Id,
    UserId,
    CourseSlug,
    LessonId,
    CourseVersion,
    Score,
    Passed,
    Answers,
    Results,
    IdempotencyKey,
    SubmittedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(pk_auto(Users::Id))
                    .col(string_uniq(Users::Username))
                    .col(string(Users::FullName))
                    .col(string_null(Users::Email))
                    .col(string(Users::Role))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Language).default("en"))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .if_not_exists()
                    .col(pk_auto(ApiTokens::Id))
                    .col(integer(ApiTokens::UserId))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SiteSettings::Table)
                    .if_not_exists()
                    .col(string(SiteSettings::Key).primary_key())
                    .col(text(SiteSettings::Value))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Courses::Table)
                    .if_not_exists()
                    .col(string(Courses::Slug).primary_key())
                    .col(integer(Courses::Version))
                    .col(string(Courses::ContentHash))
                    .col(string(Courses::Title))
                    .col(string(Courses::Sector))
                    .col(string(Courses::Level))
                    .col(double_null(Courses::Hours))
                    .col(text(Courses::Summary))
                    .col(text(Courses::Compiled))
                    .col(timestamp_with_time_zone(Courses::PublishedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .if_not_exists()
                    .col(pk_auto(Enrolments::Id))
                    .col(integer(Enrolments::UserId))
                    .col(string(Enrolments::CourseSlug))
                    .col(timestamp_with_time_zone(Enrolments::EnrolledAt))
                    .col(string_null(Enrolments::LastLessonId))
                    .col(timestamp_with_time_zone(Enrolments::LastActiveAt))
                    .col(timestamp_with_time_zone_null(Enrolments::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::CourseSlug)
                            .to(Courses::Table, Courses::Slug),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("enrolments_user_course")
                    .table(Enrolments::Table)
                    .col(Enrolments::UserId)
                    .col(Enrolments::CourseSlug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("enrolments_course")
                    .table(Enrolments::Table)
                    .col(Enrolments::CourseSlug)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LessonProgress::Table)
                    .if_not_exists()
                    .col(pk_auto(LessonProgress::Id))
                    .col(integer(LessonProgress::UserId))
                    .col(string(LessonProgress::CourseSlug))
                    .col(string(LessonProgress::LessonId))
                    .col(string(LessonProgress::Kind))
                    .col(timestamp_with_time_zone_null(LessonProgress::CompletedAt))
                    .col(integer_null(LessonProgress::BestScore))
                    .col(boolean(LessonProgress::Passed).default(false))
                    .col(integer(LessonProgress::Attempts).default(0))
                    .col(timestamp_with_time_zone(LessonProgress::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LessonProgress::Table, LessonProgress::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("lesson_progress_user_course_lesson")
                    .table(LessonProgress::Table)
                    .col(LessonProgress::UserId)
                    .col(LessonProgress::CourseSlug)
                    .col(LessonProgress::LessonId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(QuizAttempts::Table)
                    .if_not_exists()
                    .col(pk_auto(QuizAttempts::Id))
                    .col(integer(QuizAttempts::UserId))
                    .col(string(QuizAttempts::CourseSlug))
                    .col(string(QuizAttempts::LessonId))
                    .col(integer(QuizAttempts::CourseVersion))
                    .col(integer(QuizAttempts::Score))
                    .col(boolean(QuizAttempts::Passed))
                    .col(text(QuizAttempts::Answers))
                    .col(text(QuizAttempts::Results))
                    .col(string_null(QuizAttempts::IdempotencyKey))
                    .col(timestamp_with_time_zone(QuizAttempts::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuizAttempts::Table, QuizAttempts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("quiz_attempts_idempotency")
                    .table(QuizAttempts::Table)
                    .col(QuizAttempts::UserId)
                    .col(QuizAttempts::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("quiz_attempts_user_lesson")
                    .table(QuizAttempts::Table)
                    .col(QuizAttempts::UserId)
                    .col(QuizAttempts::CourseSlug)
                    .col(QuizAttempts::LessonId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            QuizAttempts::Table.into_iden(),
            LessonProgress::Table.into_iden(),
            Enrolments::Table.into_iden(),
            Courses::Table.into_iden(),
            SiteSettings::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
