//! Two things a learner may add to their account:
//!
//! - `users.home_language`: the language of the vocabulary translations
//!   they see, any language a course translates into (Tigrinya, Pashto,
//!   ...), apart from the interface language. NULL until they choose one:
//!   it then follows the interface language, read when it is needed, so a
//!   learner who changes the interface language later sees that one.
//! - `users.name_in_own_script`: their name in their own script beside the
//!   full name as on their papers ("Ahmed Hassan" and "أحمد حسن"); NULL
//!   when none. Certificates carry both.
//!
//! SQLite adds one column per `ALTER TABLE`, so each is its own statement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    HomeLanguage,
    NameInOwnScript,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_null(Users::HomeLanguage))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_null(Users::NameInOwnScript))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::NameInOwnScript, Users::HomeLanguage] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
