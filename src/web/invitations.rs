//! A learner's invitations to classes: shown on their home page, each
//! accepted (they join the class and its courses, as with the code) or
//! declined. Only the invited learner answers their own invitation; the
//! rules are [`crate::service::classes::invitations`], shared with the API.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::errors::PageError;
use super::redirect::see_other;
use super::session::{SignedIn, check_csrf};
use super::{AppState, State};
use crate::service::classes::invitations;
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
    Ok(invitations::list(state.service(), account)
        .await?
        .into_iter()
        .map(|i| InvitationView {
            class_id: i.class_id,
            class_name: i.class_name,
            invited_by: i.invited_by,
        })
        .collect())
}

/// The answer's form: its CSRF token only.
#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
}

async fn accept(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    let class = invitations::accept(state.service(), &user.account, path.into_inner()).await?;
    Ok(see_other(&format!("/classes/{}", class.id)))
}

async fn decline(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, &form.csrf)?;
    invitations::decline(state.service(), &user.account, path.into_inner()).await?;
    Ok(see_other("/"))
}
