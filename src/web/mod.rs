//! The web layer: thin handlers by area. A page handler reads the form,
//! calls one `service` function and renders a template; an API handler
//! reads JSON, calls the same function and serialises the result. The
//! rules live in `crate::service`; `errors` turns a refusal into a page or
//! JSON in one place each. No API module imports a page module.

pub mod account;
pub mod api;
pub mod assets;
pub mod auth;
pub mod authoring;
pub mod authoring_people;
pub mod authoring_versions;
pub mod bearer;
pub mod body_timeout;
pub mod callouts;
pub mod certificates;
pub mod certificates_api;
pub mod class_progress;
pub mod class_progress_api;
pub mod class_upkeep;
pub mod classes;
pub mod classes_api;
pub(crate) mod confirm;
pub mod downloads;
pub mod error_pages;
pub mod errors;
pub mod glossary;
pub mod gzip;
pub mod invitations;
pub mod invitations_api;
pub mod learn;
pub mod lesson_shells;
pub mod live;
pub mod live_api;
pub mod live_stream;
pub mod login_cards;
pub mod me_api;
pub mod methods;
pub mod password;
pub mod quiz_view;
pub mod redirect;
pub mod reports;
pub mod reports_api;
pub mod request_log;
pub mod session;
pub mod sign_in;
pub mod templates;
pub mod throttle;
pub mod when;

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::store::Store;
use errors::PageError;

/// What every handler can reach.
pub struct AppState {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    pub templates: tera::Tera,
    pub settings: Settings,
    /// Signing in, registering, password links and public lookups.
    pub throttles: throttle::Throttles,
    /// The site's DID and certificate keys.
    pub issuer: crate::certificate::Issuer,
    /// Uploading and editing courses in the browser.
    pub authoring: crate::authoring::Authoring,
    /// Lesson pages rendered once per course version, language and role.
    pub lesson_shells: lesson_shells::LessonShells,
    /// The live classes' open event streams: how many per account, and
    /// ending them when the server shuts down.
    pub live_streams: Arc<live_stream::LiveStreams>,
}

pub type State = web::Data<AppState>;

impl AppState {
    /// What the rules in `service` may reach, borrowed for one call.
    pub fn service(&self) -> crate::service::Context<'_> {
        crate::service::Context {
            store: &self.store,
            catalog: &self.catalog,
            settings: &self.settings,
            issuer: &self.issuer,
        }
    }

    /// The client's address, the one every throttle counts by.
    pub fn client_address(&self, request: &actix_web::HttpRequest) -> Option<std::net::IpAddr> {
        throttle::client_address(request, &self.settings.trusted_proxies)
    }
}

/// Every route of the app. The role each needs is checked in the handler
/// through its extractor (`Viewer`, `SignedIn`, `ApiUser`), and
/// `tests/roles.rs` walks the whole matrix.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // The learner's pages first: routes are tried in order.
    cfg.route("/healthz", web::get().to(healthz))
        .configure(learn::routes)
        .service(assets::service())
        .route("/favicon.ico", web::get().to(assets::favicon))
        .route("/media/{slug}/{file:.*}", web::get().to(assets::media))
        .configure(api::routes)
        .configure(auth::routes)
        .configure(account::routes)
        .configure(certificates::routes)
        // Owners and co-authors, and previous versions, before the module
        // editor's scope; registered here so they need not be reached
        // through `authoring`, whose helpers they use.
        .configure(authoring_people::routes)
        .configure(authoring_versions::routes)
        .configure(authoring::routes)
        .configure(live::routes)
        .configure(class_upkeep::routes)
        .configure(login_cards::routes)
        .configure(classes::routes)
        .configure(invitations::routes)
        .configure(password::routes)
        .configure(class_progress::routes)
        .configure(reports::routes)
        .default_service(web::to(not_found));
}

async fn not_found(request: actix_web::HttpRequest) -> Result<HttpResponse, PageError> {
    methods::page_method_not_allowed(&request).ok_or(PageError::NotFound)
}

/// 200 once the database answers, 503 before.
async fn healthz(state: State) -> HttpResponse {
    if state.store.is_reachable().await {
        HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("database unreachable")
    }
}

/// Renders a page template; pages are never cached (they hold a CSRF token
/// and the learner's progress).
pub(crate) fn render_page(
    state: &AppState,
    name: &str,
    context: &tera::Context,
) -> Result<HttpResponse, PageError> {
    Ok(html_page(render_template(state, name, context)?))
}

pub(crate) fn render_template(
    state: &AppState,
    name: &str,
    context: &tera::Context,
) -> Result<String, PageError> {
    state
        .templates
        .render(name, context)
        .map_err(|e| PageError::Internal(anyhow::Error::new(e).context(format!("template {name}"))))
}

/// A rendered page as a response that no browser or proxy keeps.
pub(crate) fn html_page(html: String) -> HttpResponse {
    html_page_builder().body(html)
}

pub(crate) fn html_page_builder() -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::Ok();
    builder
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"));
    builder
}
