//! Site-wide settings an admin changes at run time (not start-up settings,
//! which live in `config`), and the one-time admin set-up token.

use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};

use super::{Store, StoreResult};

pub mod site_setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "site_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use site_setting::Entity as SiteSetting;

pub const SELF_REGISTRATION: &str = "self_registration";
pub const ADMIN_SETUP_TOKEN: &str = "admin_setup_token_hash";

impl Store {
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(SiteSetting::find_by_id(key.to_string())
            .one(self.db())
            .await?
            .map(|s| s.value))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        SiteSetting::insert(site_setting::ActiveModel {
            key: Set(key.to_string()),
            value: Set(value.to_string()),
        })
        .on_conflict(
            OnConflict::column(site_setting::Column::Key)
                .update_column(site_setting::Column::Value)
                .to_owned(),
        )
        .exec(self.db())
        .await?;
        Ok(())
    }

    pub async fn delete_setting(&self, key: &str) -> StoreResult<()> {
        let _writer = self.write_lock().await;
        SiteSetting::delete_by_id(key.to_string())
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// Learners may register themselves unless an admin turned it off.
    pub async fn self_registration_open(&self) -> StoreResult<bool> {
        Ok(self.setting(SELF_REGISTRATION).await?.as_deref() != Some("off"))
    }
}
