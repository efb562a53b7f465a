//! Signing in and out, registering, the first admin's set-up link, and the
//! language picker.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::errors::PageError;
use super::redirect::{local_path as safe_next, see_other};
use super::session::{self, LANG_COOKIE, SignedIn, Viewer, check_csrf, page_context};
use super::sign_in::{Refused, check_credentials};
use super::{State, render_page as render};
use crate::domain::names::{FullName, NewPassword, Role, Username, parse_email};
use crate::i18n;
use crate::passwords::{self, token_hash};
use crate::store::site::ADMIN_SETUP_TOKEN;
use crate::store::users::{Account, CreateUserError, NewAccount};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_page))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/register", web::get().to(register_page))
        .route("/register", web::post().to(register))
        .route("/setup/{token}", web::get().to(setup_page))
        .route("/setup/{token}", web::post().to(setup))
        .route("/language", web::post().to(choose_language))
        .route("/admin", web::get().to(admin_page))
        .route("/admin/registration", web::post().to(set_registration));
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    state: State,
    viewer: Viewer,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    if viewer.account.is_some() {
        return Ok(see_other(&safe_next(query.next.as_deref())));
    }
    let mut context = page_context(viewer.language, None, &viewer.session);
    context.insert("next", &safe_next(query.next.as_deref()));
    context.insert(
        "registration_open",
        &state.store.self_registration_open().await?,
    );
    render(&state, "login.html", &context)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    username: String,
    password: String,
    next: Option<String>,
}

async fn login(
    state: State,
    viewer: Viewer,
    request: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    let address = state.client_address(&request);
    match check_credentials(&state, address, &form.username, &form.password).await? {
        Ok(account) => {
            session::sign_in(&state, &viewer.session, &account).await?;
            Ok(see_other(&safe_next(form.next.as_deref())))
        }
        Err(Refused::Wait(wait)) => Err(PageError::TooManyRequests(wait)),
        Err(Refused::WrongCredentials) => {
            let mut context = page_context(viewer.language, None, &viewer.session);
            context.insert("next", &safe_next(form.next.as_deref()));
            context.insert("username", &form.username);
            context.insert("error", &i18n::text(viewer.language.code, "login-wrong"));
            context.insert(
                "registration_open",
                &state.store.self_registration_open().await?,
            );
            let mut response = render(&state, "login.html", &context)?;
            *response.status_mut() = actix_web::http::StatusCode::UNAUTHORIZED;
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    state: State,
    viewer: Viewer,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    session::sign_out(&state, &viewer.session).await?;
    Ok(see_other("/"))
}

async fn register_page(state: State, viewer: Viewer) -> Result<HttpResponse, PageError> {
    if !state.store.self_registration_open().await? {
        return Err(PageError::Forbidden);
    }
    let context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    render(&state, "register.html", &context)
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    username: String,
    full_name: String,
    #[serde(default)]
    email: String,
    password: String,
}

struct ValidAccount {
    username: Username,
    full_name: FullName,
    email: Option<String>,
    password: NewPassword,
}

/// Every problem with the form at once, each in the viewer's language.
fn validate(form: &RegisterForm, lang: &str) -> Result<ValidAccount, Vec<String>> {
    let username = Username::parse(&form.username);
    let full_name = FullName::parse(&form.full_name);
    let email = parse_email(&form.email);
    let password = NewPassword::parse(&form.password);
    match (username, full_name, email, password) {
        (Ok(username), Ok(full_name), Ok(email), Ok(password)) => Ok(ValidAccount {
            username,
            full_name,
            email,
            password,
        }),
        (username, full_name, email, password) => {
            Err(
                [username.err(), full_name.err(), email.err(), password.err()]
                    .into_iter()
                    .flatten()
                    .map(|e| i18n::text(lang, e.message_key()))
                    .collect(),
            )
        }
    }
}

async fn create_account(
    state: &State,
    valid: ValidAccount,
    role: Role,
    language: &str,
) -> Result<Result<Account, String>, PageError> {
    let hash = passwords::hash(valid.password.expose().to_string())
        .await
        .map_err(anyhow::Error::new)?;
    let created = state
        .store
        .create_user(NewAccount {
            username: &valid.username,
            full_name: &valid.full_name,
            email: valid.email.as_deref(),
            role,
            password_hash: &hash,
            language,
        })
        .await;
    match created {
        Ok(account) => Ok(Ok(account)),
        Err(CreateUserError::UsernameTaken(_)) => Ok(Err(i18n::text(language, "register-taken"))),
        Err(CreateUserError::Store(e)) => Err(e.into()),
    }
}

async fn register(
    state: State,
    viewer: Viewer,
    request: HttpRequest,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    if !state.store.self_registration_open().await? {
        return Err(PageError::Forbidden);
    }
    // Every try counts, a refused one too: it is how names are probed.
    state
        .throttles
        .registrations
        .check(state.client_address(&request))?;
    let outcome = match validate(&form, viewer.language.code) {
        Ok(valid) => create_account(&state, valid, Role::Learner, viewer.language.code)
            .await?
            .map_err(|e| vec![e]),
        Err(problems) => Err(problems),
    };
    match outcome {
        Ok(account) => {
            session::sign_in(&state, &viewer.session, &account).await?;
            Ok(see_other("/"))
        }
        Err(problems) => {
            let context = page_context(viewer.language, None, &viewer.session);
            form_again(&state, "register.html", context, &form, &problems)
        }
    }
}

/// The account form shown again (400) with its problems and what was typed
/// (never the password).
fn form_again(
    state: &State,
    template: &str,
    mut context: tera::Context,
    form: &RegisterForm,
    problems: &[String],
) -> Result<HttpResponse, PageError> {
    context.insert("errors", problems);
    context.insert("username", &form.username);
    context.insert("full_name", &form.full_name);
    context.insert("email", &form.email);
    let mut response = render(state, template, &context)?;
    *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
    Ok(response)
}

/// The set-up link works once, and only while there is no admin.
async fn setup_token_valid(state: &State, token: &str) -> Result<bool, PageError> {
    let stored = state.store.setting(ADMIN_SETUP_TOKEN).await?;
    let no_admin = state.store.count_role(Role::Admin).await? == 0;
    Ok(no_admin && stored.is_some_and(|hash| hash == token_hash(token)))
}

async fn setup_page(
    state: State,
    viewer: Viewer,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    if !setup_token_valid(&state, &token).await? {
        return Err(PageError::NotFound);
    }
    let mut context = page_context(viewer.language, None, &viewer.session);
    context.insert("token", token.as_str());
    render(&state, "setup.html", &context)
}

async fn setup(
    state: State,
    viewer: Viewer,
    token: web::Path<String>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    if !setup_token_valid(&state, &token).await? {
        return Err(PageError::NotFound);
    }
    let outcome = match validate(&form, viewer.language.code) {
        Ok(valid) => create_account(&state, valid, Role::Admin, viewer.language.code)
            .await?
            .map_err(|e| vec![e]),
        Err(problems) => Err(problems),
    };
    match outcome {
        Ok(account) => {
            state.store.delete_setting(ADMIN_SETUP_TOKEN).await?;
            session::sign_in(&state, &viewer.session, &account).await?;
            Ok(see_other("/admin"))
        }
        Err(problems) => {
            let mut context = page_context(viewer.language, None, &viewer.session);
            context.insert("token", token.as_str());
            form_again(&state, "setup.html", context, &form, &problems)
        }
    }
}

/// The path of `url` when it points at this site.
fn same_site_path(url: &str, host: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let (url_host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    (url_host == host && !path.is_empty()).then(|| path.to_string())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    lang: String,
    back: Option<String>,
}

/// Remembers the language: on the account when signed in, and in a cookie
/// for the sign-in page and visitors.
async fn choose_language(
    state: State,
    viewer: Viewer,
    request: HttpRequest,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    let language = i18n::language(&form.lang)
        .ok_or_else(|| PageError::bad_request(format!("Unknown language: {}", form.lang)))?;
    if let Some(account) = &viewer.account {
        state.store.set_language(account.id, language.code).await?;
        session::refresh_account(&viewer.session);
    }
    let cookie = Cookie::build(LANG_COOKIE, language.code)
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    // Back to the page the picker was on (the Referer, same site only).
    let referer_path = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|url| same_site_path(url, request.connection_info().host()));
    let back = form.back.as_deref().or(referer_path.as_deref());
    let mut response = see_other(&safe_next(back));
    response
        .add_cookie(&cookie)
        .map_err(|e| PageError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(response)
}

async fn admin_page(state: State, signed_in: SignedIn) -> Result<HttpResponse, PageError> {
    signed_in.require(&[Role::Admin])?;
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert(
        "registration_open",
        &state.store.self_registration_open().await?,
    );
    context.insert("courses", &state.catalog.snapshot().len());
    render(&state, "admin.html", &context)
}

#[derive(Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    csrf: String,
    open: String,
}

async fn set_registration(
    state: State,
    signed_in: SignedIn,
    form: web::Form<RegistrationForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(&[Role::Admin])?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let value = if form.open == "on" { "on" } else { "off" };
    state
        .store
        .set_setting(crate::store::site::SELF_REGISTRATION, value)
        .await?;
    Ok(see_other("/admin"))
}
