//! A learner's invitations to classes in the JSON API: the same as on their
//! home page, through the same rules
//! ([`crate::service::classes::invitations`]). Only the invited learner
//! sees and answers their own invitations.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::State;
use super::bearer::ApiUser;
use super::classes_api::ClassItem;
use super::errors::ApiError;
use crate::service::classes::invitations;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/invitations", web::get().to(my_invitations))
        .route("/me/invitations/{class}/accept", web::post().to(accept))
        .route("/me/invitations/{class}/decline", web::post().to(decline));
}

#[derive(Serialize, ToSchema)]
pub struct InvitationItem {
    class_id: i32,
    class_name: String,
    /// The full name of who invited you (empty if unknown).
    invited_by: String,
    invited_at: DateTime<Utc>,
}

/// The invitations to classes waiting for the caller (a learner).
#[utoipa::path(get, path = "/api/v1/me/invitations", security(("bearer" = [])),
    responses((status = 200, body = Vec<InvitationItem>), (status = 401), (status = 403, description = "Not a learner")))]
pub(crate) async fn my_invitations(
    state: State,
    ApiUser(account): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let list: Vec<InvitationItem> = invitations::list(state.service(), &account)
        .await?
        .into_iter()
        .map(|i| InvitationItem {
            class_id: i.class_id,
            class_name: i.class_name,
            invited_by: i.invited_by,
            invited_at: i.invited_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// Accepts an invitation: the caller joins the class and its courses.
#[utoipa::path(post, path = "/api/v1/me/invitations/{class}/accept", params(("class" = i32, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ClassItem), (status = 401), (status = 403, description = "Not a learner"),
        (status = 404, description = "No open invitation to this class"),
        (status = 409, description = "The class was archived since the invitation was sent: it waits until the class is brought back")))]
pub(crate) async fn accept(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let class = invitations::accept(state.service(), &account, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ClassItem::from(class)))
}

/// Declines an invitation.
#[utoipa::path(post, path = "/api/v1/me/invitations/{class}/decline", params(("class" = i32, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403, description = "Not a learner"),
        (status = 404, description = "No open invitation to this class")))]
pub(crate) async fn decline(
    state: State,
    ApiUser(account): ApiUser,
    path: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    invitations::decline(state.service(), &account, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
