//! "Your account": who is signed in, the home language for translations
//! and the name in one's own script, changing one's own password, and
//! signing out on all devices.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::errors::PageError;
use super::session::{self, CsrfForm, SignedIn, check_csrf, page_context};
use super::throttle::RetryAfter;
use super::{State, render_page as render};
use crate::i18n;
use crate::service::ServiceError;
use crate::service::accounts::{self, PasswordChange, ProfileChange};
use crate::store::now;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(account_page))
        .route("/account/profile", web::post().to(change_profile))
        .route("/account/password", web::post().to(change_password))
        .route(
            "/account/sign-out-everywhere",
            web::post().to(sign_out_everywhere),
        );
}

/// What the password form shows besides the page: problems, or that the
/// password was changed.
#[derive(Default)]
struct PasswordOutcome {
    errors: Vec<String>,
    changed: bool,
}

/// What the languages-and-name form shows: problems and what was typed,
/// or that it was saved.
#[derive(Default)]
struct ProfileOutcome {
    errors: Vec<String>,
    saved: bool,
    /// As typed, when it is shown again with problems.
    typed: Option<(String, String)>,
}

async fn show(
    state: &State,
    signed_in: &SignedIn,
    account: &crate::store::users::Account,
    outcome: PasswordOutcome,
) -> Result<HttpResponse, PageError> {
    show_all(
        state,
        signed_in,
        account,
        outcome,
        ProfileOutcome::default(),
    )
    .await
}

async fn show_all(
    state: &State,
    signed_in: &SignedIn,
    account: &crate::store::users::Account,
    outcome: PasswordOutcome,
    profile_outcome: ProfileOutcome,
) -> Result<HttpResponse, PageError> {
    let devices = state
        .store
        .live_session_count(account.id, now(), &state.settings.session_limits())
        .await?;
    let profile = accounts::profile(state.service(), account);
    let mut context = page_context(signed_in.language, Some(account), &signed_in.session);
    context.insert("full_name", &account.full_name);
    context.insert("username", &account.username);
    let (typed_home, typed_own) = profile_outcome.typed.unwrap_or_else(|| {
        (
            account.chosen_home_language.clone().unwrap_or_default(),
            account.name_in_own_script.clone().unwrap_or_default(),
        )
    });
    context.insert("name_in_own_script", &typed_own);
    context.insert("chosen_home_language", &typed_home);
    context.insert("home_language", &profile.home_language);
    context.insert(
        "home_language_follows_interface",
        &profile.home_language_follows_interface,
    );
    context.insert("home_languages", &profile.home_languages);
    context.insert(
        "interface_language_name",
        &crate::domain::home_language::isolated_name(&account.language),
    );
    context.insert("profile_errors", &profile_outcome.errors);
    context.insert("profile_saved", &profile_outcome.saved);
    context.insert("devices", &devices);
    context.insert("password_errors", &outcome.errors);
    context.insert("password_changed", &outcome.changed);
    let mut response = render(state, "account.html", &context)?;
    if !outcome.errors.is_empty() || !profile_outcome.errors.is_empty() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

async fn account_page(state: State, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    show(
        &state,
        &signed_in,
        &signed_in.account,
        PasswordOutcome::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    home_language: String,
    #[serde(default)]
    name_in_own_script: String,
}

/// The home language (empty: the interface language's) and the name in
/// one's own script, for the signed-in account only.
async fn change_profile(
    state: State,
    signed_in: SignedIn,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&signed_in.session, &form.csrf)?;
    let change = ProfileChange {
        language: None,
        home_language: Some(&form.home_language),
        name_in_own_script: Some(&form.name_in_own_script),
    };
    match accounts::change_profile(state.service(), &signed_in.account, change).await {
        Ok(changed) => {
            session::refresh_account(&signed_in.session);
            let outcome = ProfileOutcome {
                saved: true,
                ..ProfileOutcome::default()
            };
            show_all(
                &state,
                &signed_in,
                &changed,
                PasswordOutcome::default(),
                outcome,
            )
            .await
        }
        Err(ServiceError::Invalid(problems)) => {
            let code = signed_in.language.code;
            let outcome = ProfileOutcome {
                errors: problems.iter().map(|m| m.in_language(code)).collect(),
                saved: false,
                typed: Some((form.home_language.clone(), form.name_in_own_script.clone())),
            };
            show_all(
                &state,
                &signed_in,
                &signed_in.account,
                PasswordOutcome::default(),
                outcome,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// A new password for the signed-in account. Every other browser and app
/// is signed out; this browser is signed in again at once, so it stays.
async fn change_password(
    state: State,
    signed_in: SignedIn,
    request: HttpRequest,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&signed_in.session, &form.csrf)?;
    let code = signed_in.language.code;
    let outcome = accounts::change_own_password(
        &state.store,
        &state.throttles.sign_in,
        state.client_address(&request),
        &signed_in.account,
        &form.current,
        &form.password,
        &form.password_again,
    )
    .await;
    let changed = match outcome {
        Ok(PasswordChange::Changed(changed)) => changed,
        Ok(PasswordChange::WrongCurrent) => {
            let errors = vec![i18n::text(code, "account-password-wrong")];
            let outcome = PasswordOutcome {
                errors,
                changed: false,
            };
            let mut response = show(&state, &signed_in, &signed_in.account, outcome).await?;
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            return Ok(response);
        }
        Ok(PasswordChange::Wait(wait)) => return Err(PageError::TooManyRequests(RetryAfter(wait))),
        Err(ServiceError::Invalid(problems)) => {
            let errors = problems.iter().map(|m| m.in_language(code)).collect();
            let outcome = PasswordOutcome {
                errors,
                changed: false,
            };
            return show(&state, &signed_in, &signed_in.account, outcome).await;
        }
        Err(e) => return Err(e.into()),
    };
    session::sign_in(&state, &signed_in.session, &changed).await?;
    let outcome = PasswordOutcome {
        errors: Vec::new(),
        changed: true,
    };
    show(&state, &signed_in, &changed, outcome).await
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
