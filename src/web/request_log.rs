//! The span every request is logged in, with secrets left out.
//!
//! `tracing-actix-web` puts the request's path and query in every log line
//! of the request (`http.target`). Some paths are secrets: a password reset
//! link (`/password/reset/{token}`) or the first admin's set-up link
//! (`/setup/{token}`) works for whoever holds it, and a log is read by more
//! people than the admin. So the path is logged with every route parameter
//! named in [`SECRET_PARAMETERS`] replaced, and with the values of query
//! parameters of those names replaced too.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};

/// Route parameters (`{token}`) and query parameters (`?token=`) whose
/// value is never logged.
const SECRET_PARAMETERS: &[&str] = &["token"];

/// What a secret is logged as.
const REDACTED: &str = "[redacted]";

/// The root span of every request: as `tracing-actix-web`'s default, but
/// with the path redacted. Registered with
/// `TracingLogger::<RedactedRootSpan>::new()`.
pub struct RedactedRootSpan;

impl RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern();
        let target = redacted_target(route.as_deref(), request.path(), request.query_string());
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = route.as_deref().unwrap_or("default"),
            http.target = %target,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The path and query as logged: each segment matched by a secret route
/// parameter, and each secret query value, replaced.
pub fn redacted_target(route: Option<&str>, path: &str, query: &str) -> String {
    let path = match route {
        Some(route) => redact_path(route, path),
        None => path.to_string(),
    };
    if query.is_empty() {
        return path;
    }
    let query = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMETERS.contains(&name) => format!("{name}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&");
    format!("{path}?{query}")
}

/// Route patterns are matched segment by segment, so the path's segments
/// line up with the pattern's (a tail parameter `{file:.*}` is the last).
fn redact_path(route: &str, path: &str) -> String {
    let secret_segment = |pattern: &str| {
        pattern
            .strip_prefix('{')
            .and_then(|p| p.strip_suffix('}'))
            .map(|name| name.split(':').next().unwrap_or(name))
            .is_some_and(|name| SECRET_PARAMETERS.contains(&name))
    };
    // Most routes hold no secret: no list is made for them.
    if !route.split('/').any(secret_segment) {
        return path.to_string();
    }
    let patterns: Vec<&str> = route.split('/').collect();
    path.split('/')
        .enumerate()
        .map(|(i, segment)| match patterns.get(i) {
            Some(pattern) if secret_segment(pattern) => REDACTED,
            _ => segment,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_paths_are_redacted() {
        assert_eq!(
            redacted_target(
                Some("/password/reset/{token}"),
                "/password/reset/abc123",
                ""
            ),
            "/password/reset/[redacted]"
        );
        assert_eq!(
            redacted_target(Some("/setup/{token}"), "/setup/s3cret", "lang=ar"),
            "/setup/[redacted]?lang=ar"
        );
    }

    #[test]
    fn token_query_values_are_redacted() {
        assert_eq!(
            redacted_target(None, "/anything", "a=1&token=s3cret&b=2"),
            "/anything?a=1&token=[redacted]&b=2"
        );
    }

    #[test]
    fn other_paths_are_logged_as_they_are() {
        assert_eq!(
            redacted_target(Some("/classes/{id}"), "/classes/7", "x=1"),
            "/classes/7?x=1"
        );
        assert_eq!(redacted_target(None, "/nope", ""), "/nope");
    }
}
