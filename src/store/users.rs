//! Accounts and API tokens.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, SqlErr, TransactionTrait,
};

use super::{Store, StoreError, StoreResult, now};
use crate::domain::names::{FullName, Role, Username};

pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub username: String,
        pub full_name: String,
        pub email: Option<String>,
        pub role: String,
        pub password_hash: String,
        pub language: String,
        /// The language of vocabulary translations; NULL: the interface
        /// language (read when needed, so it follows a change).
        pub home_language: Option<String>,
        /// The name in the learner's own script, beside `full_name`.
        pub name_in_own_script: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        /// Set when a coordinator erased the person's data: the account
        /// no longer loads, so its sessions end and it cannot sign in.
        pub erased_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod api_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A signed-in person as the rest of the app sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    /// The interface language (en, ar, fa, uk).
    pub language: String,
    /// The language of vocabulary translations as chosen; None until the
    /// learner chooses one (then [`Account::home_language`] is the
    /// interface language). Defaults keep older session snapshots readable.
    #[serde(default)]
    pub chosen_home_language: Option<String>,
    /// The name in the person's own script ("أحمد حسن"), beside the full
    /// name as on their papers.
    #[serde(default)]
    pub name_in_own_script: Option<String>,
    /// Changes whenever the password does. A session keeps the stamp it
    /// signed in with and ends once the account's differs, so a new
    /// password signs out every other browser.
    pub password_stamp: PasswordStamp,
}

impl Account {
    /// The language whose vocabulary translations the person sees: the
    /// one they chose, else the interface language.
    pub fn home_language(&self) -> &str {
        self.chosen_home_language
            .as_deref()
            .unwrap_or(&self.language)
    }
}

/// A short fingerprint of the stored password hash: equal while the
/// password is unchanged. It says nothing about the password (it is a hash
/// of a salted hash) and is kept in the encrypted session cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordStamp(u64);

impl PasswordStamp {
    pub fn of(password_hash: &str) -> PasswordStamp {
        let hash = blake3::hash(password_hash.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        PasswordStamp(u64::from_le_bytes(first))
    }
}

impl TryFrom<user::Model> for Account {
    type Error = StoreError;

    fn try_from(row: user::Model) -> Result<Account, StoreError> {
        let role = Role::parse(&row.role)
            .map_err(|_| StoreError::Corrupt(format!("user {} has role {:?}", row.id, row.role)))?;
        Ok(Account {
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            email: row.email,
            role,
            language: row.language,
            chosen_home_language: row.home_language,
            name_in_own_script: row.name_in_own_script,
            password_stamp: PasswordStamp::of(&row.password_hash),
        })
    }
}

pub struct NewAccount<'a> {
    pub username: &'a Username,
    pub full_name: &'a FullName,
    pub email: Option<&'a str>,
    pub role: Role,
    pub password_hash: &'a str,
    pub language: &'a str,
    /// None: the interface language.
    pub home_language: Option<&'a str>,
    pub name_in_own_script: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("The username \"{0}\" is taken. Please choose another.")]
    UsernameTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    pub async fn create_user(&self, new: NewAccount<'_>) -> Result<Account, CreateUserError> {
        let _writer = self.write_lock().await;
        create_user_in(self.db(), new).await
    }

    /// A new password (already hashed), e.g. one a tutor generated for a
    /// learner who forgot theirs. The account's API tokens and sessions end
    /// with the old password, at once.
    pub async fn set_password_hash(&self, user_id: i32, password_hash: &str) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        let txn = self.db().begin().await?;
        user::Entity::update_many()
            .col_expr(
                user::Column::PasswordHash,
                sea_orm::sea_query::Expr::value(password_hash),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(&txn)
            .await?;
        end_sign_ins_in(&txn, user_id).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Runs on every signed-in request. `.all()` rather than `.one()`: the
    /// `LIMIT ?` that `.one()` binds makes SQLite prepare the statement
    /// again on each call; the primary key already limits it to one row.
    pub async fn account(&self, id: i32) -> StoreResult<Option<Account>> {
        user::Entity::find()
            .filter(user::Column::Id.eq(id))
            .filter(user::Column::ErasedAt.is_null())
            .all(self.db())
            .await?
            .into_iter()
            .next()
            .map(Account::try_from)
            .transpose()
    }

    /// The account and its password hash, for signing in.
    pub async fn credentials(&self, username: &str) -> StoreResult<Option<(Account, String)>> {
        let Some(row) = user::Entity::find()
            .filter(user::Column::Username.eq(username.trim().to_ascii_lowercase()))
            .filter(user::Column::ErasedAt.is_null())
            .one(self.db())
            .await?
        else {
            return Ok(None);
        };
        let hash = row.password_hash.clone();
        Ok(Some((Account::try_from(row)?, hash)))
    }

    pub async fn count_role(&self, role: Role) -> StoreResult<u64> {
        Ok(user::Entity::find()
            .filter(user::Column::Role.eq(role.as_str()))
            .count(self.db())
            .await?)
    }

    pub async fn set_language(&self, user_id: i32, language: &str) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        user::Entity::update_many()
            .col_expr(
                user::Column::Language,
                sea_orm::sea_query::Expr::value(language),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// The language of vocabulary translations; None: follow the
    /// interface language.
    pub async fn set_home_language(&self, user_id: i32, code: Option<&str>) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        user::Entity::update_many()
            .col_expr(
                user::Column::HomeLanguage,
                sea_orm::sea_query::Expr::value(code.map(str::to_string)),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// The name in the person's own script; None removes it.
    pub async fn set_name_in_own_script(
        &self,
        user_id: i32,
        name: Option<&str>,
    ) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        user::Entity::update_many()
            .col_expr(
                user::Column::NameInOwnScript,
                sea_orm::sea_query::Expr::value(name.map(str::to_string)),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// Stores the hash of a new bearer token (the token itself is shown once
    /// and never stored).
    pub async fn add_api_token(&self, user_id: i32, token_hash: &str) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        api_token::ActiveModel {
            user_id: Set(user_id),
            token_hash: Set(token_hash.to_string()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(self.db())
        .await?;
        Ok(())
    }

    pub async fn account_for_token(&self, token_hash: &str) -> StoreResult<Option<Account>> {
        let Some(token) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash))
            .one(self.db())
            .await?
        else {
            return Ok(None);
        };
        self.account(token.user_id).await
    }
}

/// Ends every way the account is signed in, inside the caller's
/// transaction: its API tokens and its browser sessions. A new password,
/// erasure and "Sign out on all devices" all end both: a token or a
/// session is as good as the password it was made with.
pub(crate) async fn end_sign_ins_in<C: ConnectionTrait>(conn: &C, user_id: i32) -> StoreResult<()> {
    api_token::Entity::delete_many()
        .filter(api_token::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    super::sessions::delete_sessions_in(conn, user_id).await
}

/// Creates an account inside the caller's transaction.
pub(crate) async fn create_user_in<C: ConnectionTrait>(
    conn: &C,
    new: NewAccount<'_>,
) -> Result<Account, CreateUserError> {
    let row = user::ActiveModel {
        username: Set(new.username.as_str().to_string()),
        full_name: Set(new.full_name.as_str().to_string()),
        email: Set(new.email.map(str::to_string)),
        role: Set(new.role.as_str().to_string()),
        password_hash: Set(new.password_hash.to_string()),
        language: Set(new.language.to_string()),
        home_language: Set(new.home_language.map(str::to_string)),
        name_in_own_script: Set(new.name_in_own_script.map(str::to_string)),
        created_at: Set(now()),
        ..Default::default()
    };
    match row.insert(conn).await {
        Ok(model) => Ok(Account::try_from(model)?),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(
            CreateUserError::UsernameTaken(new.username.as_str().to_string()),
        ),
        Err(e) => Err(CreateUserError::Store(e.into())),
    }
}
