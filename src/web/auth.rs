//! Signing in and out, registering, the first admin's set-up link, and the
//! language picker: the forms, over `service::accounts`'s rules.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::errors::PageError;
use super::redirect::{local_path as safe_next, see_other};
use super::session::{self, CsrfForm, LANG_COOKIE, SignedIn, Viewer, check_csrf, page_context};
use super::throttle::RetryAfter;
use super::{State, render_page as render};
use crate::i18n;
use crate::service::ServiceError;
use crate::service::accounts::{self, AccountForm, SignIn};

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
    let outcome = accounts::check_credentials(
        &state.store,
        &state.throttles.sign_in,
        address,
        &form.username,
        &form.password,
    )
    .await?;
    match outcome {
        SignIn::Accepted(account) => {
            session::sign_in(&state, &viewer.session, &account).await?;
            // The form always sends `next`; the home page means "none".
            let next = safe_next(form.next.as_deref());
            if next == "/" {
                return Ok(see_other(accounts::start_page(account.role)));
            }
            Ok(see_other(&next))
        }
        SignIn::Wait(wait) => Err(PageError::TooManyRequests(RetryAfter(wait))),
        SignIn::WrongCredentials => {
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

async fn logout(
    state: State,
    viewer: Viewer,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, form.token())?;
    session::sign_out(&state, &viewer.session).await?;
    Ok(see_other("/"))
}

async fn register_page(state: State, viewer: Viewer) -> Result<HttpResponse, PageError> {
    accounts::registration_open(&state.store).await?;
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    insert_home_languages(&state, &mut context, viewer.language.code);
    render(&state, "register.html", &context)
}

/// The home languages a new learner may choose, and the name of the
/// interface language the picker's first choice follows.
fn insert_home_languages(state: &State, context: &mut tera::Context, language: &str) {
    let offered: Vec<_> = state
        .catalog
        .home_languages()
        .iter()
        .map(|code| crate::domain::home_language::HomeLanguage::of(code))
        .collect();
    context.insert("home_languages", &offered);
    context.insert(
        "interface_language_name",
        &crate::domain::home_language::isolated_name(language),
    );
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
    #[serde(default)]
    home_language: String,
    #[serde(default)]
    name_in_own_script: String,
}

impl RegisterForm {
    fn account(&self) -> AccountForm<'_> {
        AccountForm {
            username: &self.username,
            full_name: &self.full_name,
            email: &self.email,
            password: &self.password,
            home_language: &self.home_language,
            name_in_own_script: &self.name_in_own_script,
        }
    }
}

async fn register(
    state: State,
    viewer: Viewer,
    request: HttpRequest,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&viewer.session, &form.csrf)?;
    accounts::registration_open(&state.store).await?;
    // Every try counts, a refused one too: it is how names are probed.
    state
        .throttles
        .registrations
        .check(state.client_address(&request))?;
    let lang = viewer.language.code;
    match accounts::register(state.service(), form.account(), lang).await {
        Ok(account) => {
            session::sign_in(&state, &viewer.session, &account).await?;
            Ok(see_other("/"))
        }
        Err(ServiceError::Invalid(problems)) => {
            let mut context = page_context(viewer.language, None, &viewer.session);
            insert_home_languages(&state, &mut context, lang);
            let problems: Vec<String> = problems.iter().map(|m| m.in_language(lang)).collect();
            form_again(&state, "register.html", context, &form, &problems)
        }
        Err(e) => Err(e.into()),
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
    context.insert("name_in_own_script", &form.name_in_own_script);
    context.insert("chosen_home_language", &form.home_language);
    let mut response = render(state, template, &context)?;
    *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
    Ok(response)
}

async fn setup_page(
    state: State,
    viewer: Viewer,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    accounts::check_setup_link(&state.store, &token).await?;
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
    let lang = viewer.language.code;
    match accounts::set_up_admin(&state.store, &token, form.account(), lang).await {
        Ok(account) => {
            session::sign_in(&state, &viewer.session, &account).await?;
            Ok(see_other("/admin"))
        }
        Err(ServiceError::Invalid(problems)) => {
            let mut context = page_context(viewer.language, None, &viewer.session);
            context.insert("token", token.as_str());
            let problems: Vec<String> = problems.iter().map(|m| m.in_language(lang)).collect();
            form_again(&state, "setup.html", context, &form, &problems)
        }
        Err(e) => Err(e.into()),
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
    let language =
        accounts::choose_language(&state.store, viewer.account.as_ref(), &form.lang).await?;
    if viewer.account.is_some() {
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
    let site = accounts::site_overview(state.service(), &signed_in.account).await?;
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    context.insert("registration_open", &site.registration_open);
    context.insert("courses", &site.courses);
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
    check_csrf(&signed_in.session, &form.csrf)?;
    accounts::set_self_registration(&state.store, &signed_in.account, form.open == "on").await?;
    Ok(see_other("/admin"))
}
