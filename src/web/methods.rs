//! Requests whose path is known but whose method is not served: 405 with
//! `Allow` (RFC 9110 §15.5.6) instead of the 404 that actix would give.
//!
//! `cfg.route(path, web::get()...)` puts the method guard on the resource
//! itself, so a request with another method finds no resource at all and
//! lands in the scope's default service, or, worse, in another resource
//! whose pattern fits (`GET /api/v1/classes/join` would reach
//! `GET /api/v1/classes/{id}` and be refused as a bad id).
//!
//! - The API (`/api/v1`): the OpenAPI document says exactly which methods
//!   each path serves, so [`undeclared_method`], a middleware on the API's
//!   scope, answers 405 from it before routing (and before the token is
//!   looked at: the method is wrong whoever asks). The document is what
//!   clients go by, and `tests/platform/schemathesis.rs` checks that it
//!   matches the routes. As in OpenAPI, a path without parameters wins over
//!   a templated one (`/classes/join` over `/classes/{id}`). So a call
//!   must be in `ApiDoc`'s `paths(...)` to be reachable with its method once
//!   another method of its path is described.
//! - Pages: there is no such document, but pages serve only GET and POST.
//!   When actix knows the path ([`ResourceMap::has_resource`]) and a GET
//!   did not match, the path is POST-only, and the other way round; so
//!   [`page_method_not_allowed`] answers those two exactly. Any other method
//!   on a page path stays a 404: which of GET and POST the path serves
//!   cannot be told without a table of the page routes.
//!
//! [`ResourceMap::has_resource`]: actix_web::dev::ResourceMap::has_resource

use std::sync::OnceLock;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};

/// Where the API's description comes from: `api::routes` says, once, so
/// this module need not import `api` (which imports it).
static DOCUMENT: OnceLock<fn() -> utoipa::openapi::OpenApi> = OnceLock::new();

/// Names the function that builds the API's OpenAPI document.
pub fn describe_api_with(document: fn() -> utoipa::openapi::OpenApi) {
    let _ = DOCUMENT.set(document);
}

/// The API's paths, each as its segments (`None` for a `{parameter}`),
/// with the methods it serves, from the OpenAPI document.
type ApiPaths = Vec<(Vec<Option<String>>, Vec<Method>)>;

fn api_paths() -> &'static ApiPaths {
    static PATHS: OnceLock<ApiPaths> = OnceLock::new();
    PATHS.get_or_init(|| {
        let Some(document) = DOCUMENT.get().map(|build| build()) else {
            return Vec::new();
        };
        let mut paths: ApiPaths = document
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    (Method::GET, item.get.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                    (Method::HEAD, item.head.is_some()),
                    (Method::OPTIONS, item.options.is_some()),
                    (Method::TRACE, item.trace.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, served)| served.then_some(method))
                .collect();
                (segments(template), methods)
            })
            .collect();
        // The document itself is not described in the document.
        paths.push((segments("/api/v1/openapi.json"), vec![Method::GET]));
        paths
    })
}

fn segments(template: &str) -> Vec<Option<String>> {
    template
        .split('/')
        .map(|segment| {
            (!(segment.starts_with('{') && segment.ends_with('}'))).then(|| segment.to_string())
        })
        .collect()
}

/// The methods the API serves at `path`, or `None` for a path it does not
/// have. A `{parameter}` matches one non-empty segment, as in actix; where
/// several paths fit, those with the fewest parameters count.
pub fn api_methods(path: &str) -> Option<Vec<Method>> {
    let wanted: Vec<&str> = path.split('/').collect();
    let mut best: Option<(usize, Vec<Method>)> = None;
    for (template, methods) in api_paths() {
        let fits = template.len() == wanted.len()
            && template
                .iter()
                .zip(&wanted)
                .all(|(part, segment)| match part {
                    Some(fixed) => fixed == segment,
                    None => !segment.is_empty(),
                });
        if !fits {
            continue;
        }
        let parameters = template.iter().filter(|part| part.is_none()).count();
        match &mut best {
            Some((fewest, _)) if *fewest < parameters => {}
            Some((fewest, all)) if *fewest == parameters => {
                for method in methods {
                    if !all.contains(method) {
                        all.push(method.clone());
                    }
                }
            }
            _ => best = Some((parameters, methods.clone())),
        }
    }
    best.map(|(_, methods)| methods)
}

fn allow_value(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Middleware on the API's scope: 405 with `Allow` and the API's JSON
/// error for a method the document does not give the path; everything else
/// goes on to the routes.
pub async fn undeclared_method(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match api_methods(request.path()) {
        Some(methods) if !methods.contains(request.method()) => {
            let allow = allow_value(&methods);
            let message = format!(
                "This API call does not take {}; it takes {allow}.",
                request.method()
            );
            let response = HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, allow))
                .json(serde_json::json!({
                    "error": "method_not_allowed",
                    "message": message,
                }));
            Ok(request.into_response(response).map_into_right_body())
        }
        _ => Ok(next.call(request).await?.map_into_left_body()),
    }
}

/// The methods a page path serves, when the method that missed tells: a
/// known path that a GET did not match is served by POST, and one that a
/// POST did not match by GET (pages serve nothing else).
fn page_methods(request: &HttpRequest) -> Option<Method> {
    if !request.resource_map().has_resource(request.path()) {
        return None;
    }
    match *request.method() {
        Method::GET => Some(Method::POST),
        Method::POST => Some(Method::GET),
        _ => None,
    }
}

/// Whether the page fallback answers 405 (with this `Allow`) rather than
/// its 404 page.
pub fn page_method_not_allowed(request: &HttpRequest) -> Option<HttpResponse> {
    let allow = page_methods(request)?;
    Some(
        HttpResponse::build(StatusCode::METHOD_NOT_ALLOWED)
            .insert_header((header::ALLOW, allow.as_str()))
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "This page does not take {}; it takes {allow}.",
                request.method()
            )),
    )
}

#[cfg(test)]
mod tests {
    use utoipa::OpenApi;

    use super::*;

    #[test]
    fn api_paths_know_their_methods() {
        describe_api_with(<crate::web::api::ApiDoc as OpenApi>::openapi);
        assert_eq!(api_methods("/api/v1/auth/token"), Some(vec![Method::POST]));
        assert_eq!(api_methods("/api/v1/openapi.json"), Some(vec![Method::GET]));
        assert_eq!(
            api_methods("/api/v1/courses/english-a1/lessons/l1/complete"),
            Some(vec![Method::POST])
        );
        let attendance = api_methods("/api/v1/classes/7/sessions/3/attendance");
        assert_eq!(attendance, Some(vec![Method::GET, Method::PUT]));
        assert_eq!(
            api_methods("/api/v1/classes"),
            Some(vec![Method::GET, Method::POST])
        );
        // The path without parameters wins, as in OpenAPI.
        assert_eq!(
            api_methods("/api/v1/classes/join"),
            Some(vec![Method::POST])
        );
        assert_eq!(
            api_methods("/api/v1/classes/joins"),
            Some(vec![Method::GET, Method::PATCH])
        );
    }

    #[test]
    fn unknown_api_paths_have_no_methods() {
        describe_api_with(<crate::web::api::ApiDoc as OpenApi>::openapi);
        assert_eq!(api_methods("/api/v1/nothing"), None);
        assert_eq!(api_methods("/api/v1/courses//enrol"), None);
        assert_eq!(api_methods("/api/v1/auth/token/more"), None);
    }
}
