//! Live classes: a tutor teaching a class in Presto while the voice call
//! runs elsewhere. Everything a live class knows is here, so a restarted
//! instance (or another one on PostgreSQL) picks it up where it was:
//!
//! - `live_classes`: the class now live, one row while it is, with what the
//!   tutor shows (a lesson, an open question) and the last event number;
//! - `live_events`: the events sent so far, numbered per class, so a stream
//!   that reconnects gets what it missed;
//! - `live_questions` and `live_answers`: what was asked and each learner's
//!   answer, kept after the class (class progress shows them);
//! - `live_hands`: hands up, in the order they went up;
//! - `live_attendees`: who joined when, and who follows the tutor;
//! - `attendance.automatic`: a mark the live class made (present, late,
//!   absent), which the tutor's own marks replace and the live class never
//!   overwrites.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LiveClasses {
    Table,
    ClassId,
    SessionId,
    StartedAt,
    CourseSlug,
    LessonId,
    QuestionId,
    LastSeq,
}

#[derive(DeriveIden)]
enum LiveEvents {
    Table,
    ClassId,
    Seq,
    SessionId,
    Event,
}

#[derive(DeriveIden)]
enum LiveQuestions {
    Table,
    Id,
    SessionId,
    Kind,
    Text,
    Options,
    Correct,
    CourseSlug,
    QuizId,
    QuestionRef,
    Revealed,
    AskedAt,
}

#[derive(DeriveIden)]
enum LiveAnswers {
    Table,
    QuestionId,
    UserId,
    Answer,
    Choice,
    Right,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum LiveHands {
    Table,
    ClassId,
    UserId,
    RaisedAt,
}

#[derive(DeriveIden)]
enum LiveAttendees {
    Table,
    SessionId,
    UserId,
    JoinedAt,
    Following,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    Automatic,
}

#[derive(DeriveIden)]
enum Classes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ClassSessions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn cascade(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LiveClasses::Table)
                    .if_not_exists()
                    .col(integer(LiveClasses::ClassId).primary_key())
                    .col(integer(LiveClasses::SessionId))
                    .col(timestamp_with_time_zone(LiveClasses::StartedAt))
                    .col(string_null(LiveClasses::CourseSlug))
                    .col(string_null(LiveClasses::LessonId))
                    .col(integer_null(LiveClasses::QuestionId))
                    .col(big_integer(LiveClasses::LastSeq))
                    .foreign_key(&mut cascade(
                        (LiveClasses::Table, LiveClasses::ClassId),
                        (Classes::Table, Classes::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (LiveClasses::Table, LiveClasses::SessionId),
                        (ClassSessions::Table, ClassSessions::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LiveEvents::Table)
                    .if_not_exists()
                    .col(integer(LiveEvents::ClassId))
                    .col(big_integer(LiveEvents::Seq))
                    .col(integer(LiveEvents::SessionId))
                    // The event as JSON, as instances pass it to each other.
                    .col(text(LiveEvents::Event))
                    .primary_key(
                        Index::create()
                            .col(LiveEvents::ClassId)
                            .col(LiveEvents::Seq),
                    )
                    .foreign_key(&mut cascade(
                        (LiveEvents::Table, LiveEvents::ClassId),
                        (Classes::Table, Classes::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LiveQuestions::Table)
                    .if_not_exists()
                    .col(pk_auto(LiveQuestions::Id))
                    .col(integer(LiveQuestions::SessionId))
                    // poll, check or course
                    .col(string(LiveQuestions::Kind))
                    .col(text(LiveQuestions::Text))
                    // The choices as a JSON list of strings.
                    .col(text(LiveQuestions::Options))
                    // A poll's right choice, if it has one.
                    .col(integer_null(LiveQuestions::Correct))
                    .col(string_null(LiveQuestions::CourseSlug))
                    .col(string_null(LiveQuestions::QuizId))
                    .col(string_null(LiveQuestions::QuestionRef))
                    .col(boolean(LiveQuestions::Revealed))
                    .col(timestamp_with_time_zone(LiveQuestions::AskedAt))
                    .foreign_key(&mut cascade(
                        (LiveQuestions::Table, LiveQuestions::SessionId),
                        (ClassSessions::Table, ClassSessions::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("live_questions_session")
                    .table(LiveQuestions::Table)
                    .col(LiveQuestions::SessionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LiveAnswers::Table)
                    .if_not_exists()
                    .col(integer(LiveAnswers::QuestionId))
                    .col(integer(LiveAnswers::UserId))
                    // As the learner sent it, JSON.
                    .col(text(LiveAnswers::Answer))
                    // The choice counted in the bars, if the answer is one.
                    .col(integer_null(LiveAnswers::Choice))
                    .col(boolean_null(LiveAnswers::Right))
                    .col(timestamp_with_time_zone(LiveAnswers::AnsweredAt))
                    .primary_key(
                        Index::create()
                            .col(LiveAnswers::QuestionId)
                            .col(LiveAnswers::UserId),
                    )
                    .foreign_key(&mut cascade(
                        (LiveAnswers::Table, LiveAnswers::QuestionId),
                        (LiveQuestions::Table, LiveQuestions::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (LiveAnswers::Table, LiveAnswers::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("live_answers_user")
                    .table(LiveAnswers::Table)
                    .col(LiveAnswers::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LiveHands::Table)
                    .if_not_exists()
                    .col(integer(LiveHands::ClassId))
                    .col(integer(LiveHands::UserId))
                    .col(timestamp_with_time_zone(LiveHands::RaisedAt))
                    .primary_key(
                        Index::create()
                            .col(LiveHands::ClassId)
                            .col(LiveHands::UserId),
                    )
                    .foreign_key(&mut cascade(
                        (LiveHands::Table, LiveHands::ClassId),
                        (Classes::Table, Classes::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (LiveHands::Table, LiveHands::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LiveAttendees::Table)
                    .if_not_exists()
                    .col(integer(LiveAttendees::SessionId))
                    .col(integer(LiveAttendees::UserId))
                    .col(timestamp_with_time_zone(LiveAttendees::JoinedAt))
                    .col(boolean(LiveAttendees::Following))
                    .primary_key(
                        Index::create()
                            .col(LiveAttendees::SessionId)
                            .col(LiveAttendees::UserId),
                    )
                    .foreign_key(&mut cascade(
                        (LiveAttendees::Table, LiveAttendees::SessionId),
                        (ClassSessions::Table, ClassSessions::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (LiveAttendees::Table, LiveAttendees::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Marks made before live classes were all the tutor's own.
        manager
            .alter_table(
                Table::alter()
                    .table(Attendance::Table)
                    .add_column(boolean(Attendance::Automatic).default(false))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Attendance::Table)
                    .drop_column(Attendance::Automatic)
                    .to_owned(),
            )
            .await?;
        for table in [
            LiveAttendees::Table.into_iden(),
            LiveHands::Table.into_iden(),
            LiveAnswers::Table.into_iden(),
            LiveQuestions::Table.into_iden(),
            LiveEvents::Table.into_iden(),
            LiveClasses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
