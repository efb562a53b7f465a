//! Classes: a tutor's group of learners with its courses, a schedule of
//! live sessions (in whatever video service the tutor uses) and an
//! attendance register; and the outcomes a coordinator records per learner
//! (work experience, a job, further training) for funder reports.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Classes {
    Table,
    Id,
    Name,
    Sector,
    TutorId,
    JoinCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClassCourses {
    Table,
    ClassId,
    CourseSlug,
    Position,
}

#[derive(DeriveIden)]
enum ClassMembers {
    Table,
    ClassId,
    UserId,
    JoinedAt,
}

#[derive(DeriveIden)]
enum ClassSessions {
    Table,
    Id,
    ClassId,
    Title,
    StartsAt,
    DurationMinutes,
    MeetingUrl,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    SessionId,
    UserId,
    Status,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Outcomes {
    Table,
    Id,
    UserId,
    Kind,
    HappenedOn,
    Note,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn to_users(from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(Users::Table, Users::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Classes::Table)
                    .if_not_exists()
                    .col(pk_auto(Classes::Id))
                    .col(string(Classes::Name))
                    .col(string(Classes::Sector))
                    .col(integer(Classes::TutorId))
                    .col(string_uniq(Classes::JoinCode))
                    .col(timestamp_with_time_zone(Classes::CreatedAt))
                    .foreign_key(&mut to_users((Classes::Table, Classes::TutorId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("classes_by_tutor")
                    .table(Classes::Table)
                    .col(Classes::TutorId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClassCourses::Table)
                    .if_not_exists()
                    .col(integer(ClassCourses::ClassId))
                    .col(string(ClassCourses::CourseSlug))
                    .col(integer(ClassCourses::Position))
                    .primary_key(
                        Index::create()
                            .col(ClassCourses::ClassId)
                            .col(ClassCourses::CourseSlug),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClassCourses::Table, ClassCourses::ClassId)
                            .to(Classes::Table, Classes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClassMembers::Table)
                    .if_not_exists()
                    .col(integer(ClassMembers::ClassId))
                    .col(integer(ClassMembers::UserId))
                    .col(timestamp_with_time_zone(ClassMembers::JoinedAt))
                    .primary_key(
                        Index::create()
                            .col(ClassMembers::ClassId)
                            .col(ClassMembers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClassMembers::Table, ClassMembers::ClassId)
                            .to(Classes::Table, Classes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut to_users((ClassMembers::Table, ClassMembers::UserId)))
                    .to_owned(),
            )
            .await?;
        // "Which classes is this learner in?": the learner's home page.
        manager
            .create_index(
                Index::create()
                    .name("class_members_by_user")
                    .table(ClassMembers::Table)
                    .col(ClassMembers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClassSessions::Table)
                    .if_not_exists()
                    .col(pk_auto(ClassSessions::Id))
                    .col(integer(ClassSessions::ClassId))
                    .col(string(ClassSessions::Title))
                    .col(timestamp_with_time_zone(ClassSessions::StartsAt))
                    .col(integer(ClassSessions::DurationMinutes))
                    .col(string(ClassSessions::MeetingUrl))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClassSessions::Table, ClassSessions::ClassId)
                            .to(Classes::Table, Classes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("class_sessions_by_class_and_time")
                    .table(ClassSessions::Table)
                    .col(ClassSessions::ClassId)
                    .col(ClassSessions::StartsAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .if_not_exists()
                    .col(integer(Attendance::SessionId))
                    .col(integer(Attendance::UserId))
                    .col(string(Attendance::Status))
                    .col(timestamp_with_time_zone(Attendance::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(Attendance::SessionId)
                            .col(Attendance::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attendance::Table, Attendance::SessionId)
                            .to(ClassSessions::Table, ClassSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut to_users((Attendance::Table, Attendance::UserId)))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outcomes::Table)
                    .if_not_exists()
                    .col(pk_auto(Outcomes::Id))
                    .col(integer(Outcomes::UserId))
                    .col(string(Outcomes::Kind))
                    .col(date(Outcomes::HappenedOn))
                    .col(text(Outcomes::Note))
                    .col(integer_null(Outcomes::RecordedBy))
                    .col(timestamp_with_time_zone(Outcomes::RecordedAt))
                    .foreign_key(&mut to_users((Outcomes::Table, Outcomes::UserId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outcomes_by_user")
                    .table(Outcomes::Table)
                    .col(Outcomes::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outcomes::Table.into_iden(),
            Attendance::Table.into_iden(),
            ClassSessions::Table.into_iden(),
            ClassMembers::Table.into_iden(),
            ClassCourses::Table.into_iden(),
            Classes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
