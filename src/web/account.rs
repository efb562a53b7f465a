//! "Your account": who is signed in, and signing out on all devices.

use actix_web::{HttpResponse, web};

use super::errors::PageError;
use super::session::{CsrfForm, SignedIn, check_csrf, page_context};
use super::{State, render_page as render};
use crate::service::accounts;
use crate::store::now;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(account_page)).route(
        "/account/sign-out-everywhere",
        web::post().to(sign_out_everywhere),
    );
}

async fn account_page(state: State, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    let account = &signed_in.account;
    let devices = state
        .store
        .live_session_count(account.id, now(), &state.settings.session_limits())
        .await?;
    let mut context = page_context(signed_in.language, Some(account), &signed_in.session);
    context.insert("full_name", &account.full_name);
    context.insert("username", &account.username);
    context.insert("devices", &devices);
    render(&state, "account.html", &context)
}

/// Ends every session of the account, this one too, and its API tokens:
/// every phone and computer and every app signs in again with the
/// password.
async fn sign_out_everywhere(
    state: State,
    signed_in: SignedIn,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&signed_in.session, form.token())?;
    accounts::sign_out_everywhere(&state.store, &signed_in.account).await?;
    signed_in.session.purge();
    Ok(super::redirect::see_other("/"))
}
