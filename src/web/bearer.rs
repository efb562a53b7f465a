//! Who a request's bearer token names. The API signs in this way, and so
//! may a program that downloads a certificate's PDF (a page route), so it
//! belongs to neither.

use actix_web::HttpRequest;
use actix_web::http::header;

use super::State;
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
