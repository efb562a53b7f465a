//! Who a request's bearer token names. The API signs in this way, and so
//! may a program that downloads a certificate's PDF (a page route), so it
//! belongs to neither; [`ApiUser`], the API's extractor, lives here too, so
//! the API's modules need not import `api` (which imports them).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

use super::State;
use super::errors::ApiError;
use crate::service::{ServiceResult, accounts};
use crate::store::users::Account;

/// The account whose token the request carries as `Authorization: Bearer`,
/// if any and if the token is known.
pub(crate) async fn bearer_account(
    request: &HttpRequest,
    state: &State,
) -> ServiceResult<Option<Account>> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match token {
        Some(token) => accounts::account_for_token(&state.store, token).await,
        None => Ok(None),
    }
}

/// The account behind the request's bearer token.
pub struct ApiUser(pub Account);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = request
                .app_data::<State>()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("app state missing")))?;
            bearer_account(&request, state)
                .await?
                .map(ApiUser)
                .ok_or(ApiError::Unauthorized)
        })
    }
}
