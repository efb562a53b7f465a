//! A learner's invitations to classes: listed, accepted (they join the
//! class and its courses, as with the code) or declined. Only the invited
//! learner sees and answers their own invitations.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ClassSummary, summary};
use crate::domain::names::Role;
use crate::service::{Context, Message, ServiceError, ServiceResult};
use crate::store::users::Account;

/// An invitation as the learner sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvitationInfo {
    pub class_id: i32,
    pub class_name: String,
    /// Who invited them, by full name (empty if that account is gone).
    pub invited_by: String,
    pub invited_at: DateTime<Utc>,
}

fn learner_only(account: &Account) -> ServiceResult<()> {
    if account.role == Role::Learner {
        Ok(())
    } else {
        Err(ServiceError::forbidden(Message::key(
            "invitation-error-role",
        )))
    }
}

fn no_invitation() -> ServiceError {
    ServiceError::not_found(Message::key("invitation-error-none"))
}

/// The invitations waiting for a learner, newest first.
pub async fn list(ctx: Context<'_>, account: &Account) -> ServiceResult<Vec<InvitationInfo>> {
    learner_only(account)?;
    Ok(ctx
        .store
        .invitations_for(account.id)
        .await?
        .into_iter()
        .map(|i| InvitationInfo {
            class_id: i.class_id,
            class_name: i.class_name,
            invited_by: i.invited_by,
            invited_at: i.invited_at,
        })
        .collect())
}

/// The learner says yes: the invitation is spent and they are in the class
/// and its courses.
pub async fn accept(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
) -> ServiceResult<ClassSummary> {
    learner_only(account)?;
    // An invitation to a class archived since it was sent waits until the
    // class is brought back.
    if let Some(class) = ctx.store.class(class_id).await? {
        super::members::takes_new_members(&class)?;
    }
    let class = ctx
        .store
        .accept_invitation(class_id, account.id)
        .await?
        .ok_or_else(no_invitation)?;
    tracing::info!(
        class = class.id,
        learner = account.username,
        "invitation accepted"
    );
    Ok(summary(ctx, account, class))
}

/// The learner says no: the invitation is gone.
pub async fn decline(ctx: Context<'_>, account: &Account, class_id: i32) -> ServiceResult<()> {
    learner_only(account)?;
    if ctx.store.decline_invitation(class_id, account.id).await? {
        Ok(())
    } else {
        Err(no_invitation())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::classes::members::{NewMember, add};
    use crate::service::classes::tests::World;
    use crate::service::classes::{NewClass, create};

    #[tokio::test]
    async fn only_the_invited_learner_answers() {
        let world = World::new().await;
        let ctx = world.ctx();
        let tutor = world.account("tess", Role::Tutor).await;
        let amina = world.account("amina", Role::Learner).await;
        let yusuf = world.account("yusuf", Role::Learner).await;
        let class = create(
            ctx,
            &tutor,
            NewClass {
                name: "Group",
                sector: None,
                courses: &[],
            },
        )
        .await
        .unwrap();
        let amina_by_name = NewMember {
            username: "amina",
            ..NewMember::default()
        };
        add(ctx, &tutor, class.id, amina_by_name, "en")
            .await
            .unwrap();
        assert!(matches!(
            list(ctx, &tutor).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(list(ctx, &yusuf).await.unwrap().is_empty());
        assert_eq!(list(ctx, &amina).await.unwrap()[0].invited_by, "tess Test");
        assert!(matches!(
            accept(ctx, &yusuf, class.id).await,
            Err(ServiceError::NotFound(_))
        ));
        decline(ctx, &amina, class.id).await.unwrap();
        assert!(matches!(
            accept(ctx, &amina, class.id).await,
            Err(ServiceError::NotFound(_))
        ));
        add(ctx, &tutor, class.id, amina_by_name, "en")
            .await
            .unwrap();
        let joined = accept(ctx, &amina, class.id).await.unwrap();
        assert_eq!((joined.id, joined.join_code), (class.id, None));
        assert!(ctx.store.is_class_member(class.id, amina.id).await.unwrap());
    }
}
