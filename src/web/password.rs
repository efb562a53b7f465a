//! A forgotten password: asking for a link by mail, and choosing a new
//! password with it.
//!
//! Asking always gets the same answer, whether or not the account exists
//! or has an email address, so the page tells nobody who has an account.
//! Asking is throttled per address; the rules are `service::accounts`'s.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::errors::PageError;
use super::session::{self, Viewer, check_csrf, page_context};
use super::{State, render_page as render};
use crate::service::ServiceError;
use crate::service::accounts;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/password/forgot", web::get().to(forgot_page))
        .route("/password/forgot", web::post().to(forgot))
        .route("/password/reset/{token}", web::get().to(reset_page))
        .route("/password/reset/{token}", web::post().to(reset));
}

async fn forgot_page(state: State, viewer: Viewer) -> Result<HttpResponse, PageError> {
    let context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    render(&state, "password_forgot.html", &context)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
}

async fn forgot(
    state: State,
    viewer: Viewer,
    request: HttpRequest,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    let login = match accounts::password_link_login(&form.login) {
        Ok(login) => login,
        Err(ServiceError::Invalid(problems)) => {
            let problems: Vec<String> = problems
                .iter()
                .map(|m| m.in_language(viewer.language.code))
                .collect();
            context.insert("errors", &problems);
            let mut response = render(&state, "password_forgot.html", &context)?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(response);
        }
        Err(e) => return Err(e.into()),
    };
    state
        .throttles
        .reset_requests
        .check(state.client_address(&request))?;
    accounts::ask_for_password_link(&state.store, login).await?;
    context.insert("sent", &true);
    render(&state, "password_forgot.html", &context)
}

/// The page for a link that does not work (unknown, used or expired):
/// it says so and offers a new one.
fn bad_link(state: &State, viewer: &Viewer) -> Result<HttpResponse, PageError> {
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    context.insert("state", "bad-link");
    let mut response = render(state, "password_reset.html", &context)?;
    *response.status_mut() = StatusCode::GONE;
    Ok(response)
}

fn reset_form(
    state: &State,
    viewer: &Viewer,
    token: &str,
    username: &str,
    problems: &[String],
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    context.insert("state", "form");
    context.insert("token", token);
    context.insert("username", username);
    context.insert("errors", problems);
    let mut response = render(state, "password_reset.html", &context)?;
    if !problems.is_empty() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

async fn reset_page(
    state: State,
    viewer: Viewer,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    match accounts::password_link_account(&state.store, &token).await {
        Ok(account) => reset_form(&state, &viewer, &token, &account.username, &[]),
        Err(ServiceError::NotFound(_)) => bad_link(&state, &viewer),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

async fn reset(
    state: State,
    viewer: Viewer,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    let account = match accounts::password_link_account(&state.store, &token).await {
        Ok(account) => account,
        Err(ServiceError::NotFound(_)) => return bad_link(&state, &viewer),
        Err(e) => return Err(e.into()),
    };
    let reset =
        accounts::reset_password(&state.store, &token, &form.password, &form.password_again).await;
    // The link may have been used meanwhile (another tab): one wins.
    let changed = match reset {
        Ok(changed) => changed,
        Err(ServiceError::Invalid(problems)) => {
            let problems: Vec<String> = problems
                .iter()
                .map(|m| m.in_language(viewer.language.code))
                .collect();
            return reset_form(&state, &viewer, &token, &account.username, &problems);
        }
        Err(ServiceError::NotFound(_)) => return bad_link(&state, &viewer),
        Err(e) => return Err(e.into()),
    };
    // The new password ended every session of the account; this browser,
    // if it was one of them, shows the page signed out.
    let mut signed_in = viewer.account.as_ref();
    if signed_in.is_some_and(|account| account.id == changed.id) {
        session::sign_out(&state, &viewer.session).await?;
        signed_in = None;
    }
    let mut context = page_context(viewer.language, signed_in, &viewer.session);
    context.insert("state", "done");
    render(&state, "password_reset.html", &context)
}
