//! A learner's invitations to classes: shown on their home page, each
//! accepted (they join the class and its courses, as with the code) or
//! declined. Only the invited learner answers their own invitation.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::errors::PageError;
use super::learn::{CsrfForm, see_other};
use super::session::{SignedIn, check_csrf};
use super::{AppState, State};
use crate::domain::names::Role;
use crate::store::users::Account;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/invitations/{class}/accept", web::post().to(accept))
        .route("/invitations/{class}/decline", web::post().to(decline));
}

/// An invitation as the home page shows it.
#[derive(Serialize)]
pub(crate) struct InvitationView {
    class_id: i32,
    class_name: String,
    invited_by: String,
}

/// The learner's open invitations, for their home page.
pub(crate) async fn for_home(
    state: &AppState,
    account: &Account,
) -> Result<Vec<InvitationView>, PageError> {
    Ok(state
        .store
        .invitations_for(account.id)
        .await?
        .into_iter()
        .map(|i| InvitationView {
            class_id: i.class_id,
            class_name: i.class_name,
            invited_by: i.invited_by,
        })
        .collect())
}

async fn accept(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, form.token())?;
    user.require(&[Role::Learner])?;
    let class = state
        .store
        .accept_invitation(path.into_inner(), user.account.id)
        .await?
        .ok_or(PageError::NotFound)?;
    tracing::info!(
        class = class.id,
        learner = user.account.username,
        "invitation accepted"
    );
    Ok(see_other(format!("/classes/{}", class.id)))
}

async fn decline(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, form.token())?;
    user.require(&[Role::Learner])?;
    if !state
        .store
        .decline_invitation(path.into_inner(), user.account.id)
        .await?
    {
        return Err(PageError::NotFound);
    }
    Ok(see_other("/".to_string()))
}
