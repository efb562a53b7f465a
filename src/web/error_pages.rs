//! Error pages: an error response on a page becomes a page in the viewer's
//! language. Apart from `errors` (which says what each error is and its
//! status) because it needs the session (the viewer's language) and the
//! assets, which themselves answer with `PageError`.

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpMessage, HttpResponse};

use super::errors::PageError;
use super::{AppState, State};
use crate::i18n::{self, Language};

/// The words shown for an error page.
fn page_message(lang: &str, status: StatusCode, error: Option<&PageError>) -> (String, String) {
    let key = match status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error-too-many",
        StatusCode::PAYLOAD_TOO_LARGE => "error-too-large",
        StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
        s if s.is_client_error() => "error-bad-request",
        _ => "error-internal",
    };
    let title = i18n::text(lang, key);
    let detail = match error {
        Some(
            PageError::BadRequest(message)
            | PageError::Conflict(message)
            | PageError::Missing(message),
        ) => message.in_language(lang),
        _ => i18n::text(lang, &format!("{key}-detail")),
    };
    (title, detail)
}

/// Middleware: turns an error response on a page into a page in the
/// viewer's language. API responses (JSON) pass through untouched.
pub fn render_error_page<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_api = response.request().path().starts_with("/api/");
    let is_redirect = response.status().is_redirection();
    // A page a handler rendered itself (a form shown again with its
    // problems, status 400) carries no error and is left as it is.
    let is_error = response.response().error().is_some();
    if is_api || is_redirect || !is_error {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let (request, old) = response.into_parts();
    let page_error = old.error().and_then(|e| e.as_error::<PageError>());
    let lang = request
        .extensions()
        .get::<Language>()
        .copied()
        .unwrap_or_else(|| super::session::language_of_request(&request));
    let (title, detail) = page_message(lang.code, status, page_error);
    let body = request
        .app_data::<State>()
        .and_then(|state| render(state, lang, &title, &detail, status).ok())
        .unwrap_or_else(|| format!("{title}\n\n{detail}\n"));
    let content_type = if body.starts_with("<!doctype html>") {
        "text/html; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut new = HttpResponse::build(status);
    // The wait a throttle asked for stays on the page it became.
    if let Some(retry_after) = old.headers().get(header::RETRY_AFTER) {
        new.insert_header((header::RETRY_AFTER, retry_after.clone()));
    }
    let new = new.content_type(content_type).body(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, new).map_into_right_body(),
    ))
}

fn render(
    state: &AppState,
    lang: Language,
    title: &str,
    detail: &str,
    status: StatusCode,
) -> Result<String, tera::Error> {
    let mut context = tera::Context::new();
    context.insert("lang", lang.code);
    context.insert("language", &lang);
    context.insert("languages", &i18n::LANGUAGES);
    context.insert("title", title);
    context.insert("detail", detail);
    context.insert("status", &status.as_u16());
    context.insert("viewer", &Option::<()>::None);
    context.insert("csrf", "");
    context.insert("asset_version", super::assets::VERSION.as_str());
    state.templates.render("error.html", &context)
}
