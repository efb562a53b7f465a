//! Errors, and the one place they become responses.
//!
//! Pages get an HTML page in the viewer's language (rendered by
//! [`super::error_pages::render_error_page`], a middleware, because only the request knows the
//! language); the API gets JSON `{error, message}`. Unexpected errors are
//! logged with their whole cause chain and shown as a plain message.

use actix_web::body::BoxBody;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::throttle::RetryAfter;
use crate::service::{Message, ServiceError};
use crate::store::StoreError;
use crate::store::outage::{Outage, outage_of};

/// An error on a page. A message is translated into the viewer's language
/// when the page is rendered.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    /// Not found, saying what is missing (a rule's words, the same the
    /// API gives).
    #[error("{}", .0.english())]
    Missing(Message),
    #[error("forbidden")]
    Forbidden,
    #[error("{}", .0.english())]
    BadRequest(Message),
    /// What was asked cannot be done now (no attempts left at a quiz).
    #[error("{}", .0.english())]
    Conflict(Message),
    /// Throttled: sent with `Retry-After`.
    #[error("too many tries")]
    TooManyRequests(RetryAfter),
    #[error("sign in first")]
    SignInRequired { next: String },
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl PageError {
    /// The database outage behind an internal error: a 503 rather than a
    /// 500, because it is not a bug and will pass.
    fn outage(&self) -> Option<Outage> {
        match self {
            PageError::Internal(e) => outage_of(e.as_ref()),
            _ => None,
        }
    }

    pub fn bad_request(message: impl Into<Message>) -> PageError {
        PageError::BadRequest(message.into())
    }

    pub fn conflict(message: impl Into<Message>) -> PageError {
        PageError::Conflict(message.into())
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Internal(anyhow::Error::new(e))
    }
}

/// The one place a rule's refusal becomes a page's error. Forbidden gets
/// the generic page; what is missing, a problem with the input or the
/// state is said in the viewer's language, in the same words the API
/// gives in English. Several problems are shown as one paragraph; a
/// handler that shows a form again with its problems matches on
/// `ServiceError::Invalid` itself before this.
impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(message) => PageError::Missing(message),
            ServiceError::Forbidden(_) => PageError::Forbidden,
            ServiceError::Invalid(mut problems) if problems.len() == 1 => {
                PageError::BadRequest(problems.remove(0))
            }
            ServiceError::Invalid(problems) => PageError::BadRequest(Message::All(problems)),
            ServiceError::Conflict(message) => PageError::Conflict(message),
            ServiceError::Store(e) => PageError::Internal(anyhow::Error::new(e)),
            ServiceError::Hashing(e) => PageError::Internal(anyhow::Error::new(e)),
        }
    }
}

impl From<RetryAfter> for PageError {
    fn from(wait: RetryAfter) -> Self {
        PageError::TooManyRequests(wait)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound | PageError::Missing(_) => StatusCode::NOT_FOUND,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Conflict(_) => StatusCode::CONFLICT,
            PageError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            PageError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            PageError::Internal(_) if self.outage().is_some() => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::Internal(e) = self {
            log_failure(e, self.outage(), "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if self.outage().is_some() {
            response.insert_header((header::RETRY_AFTER, RETRY_AFTER_OUTAGE_SECS));
        }
        if let PageError::SignInRequired { next } = self {
            let target = format!("/login?next={}", urlencode(next));
            return response
                .insert_header((header::LOCATION, super::redirect::local_path(Some(&target))))
                .finish();
        }
        if let PageError::TooManyRequests(wait) = self {
            response.insert_header((header::RETRY_AFTER, wait.seconds()));
        }
        response
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}

/// How long a client should wait before trying again during an outage.
const RETRY_AFTER_OUTAGE_SECS: u32 = 5;

/// One log line per failed request: an outage says what to look at (the
/// disk, the database), a bug gets its whole cause chain.
fn log_failure(error: &anyhow::Error, outage: Option<Outage>, what: &str) {
    match outage {
        Some(outage) => tracing::error!(
            error = format!("{error:#}"),
            "{what}: {}",
            outage.describe()
        ),
        None => tracing::error!(error = format!("{error:#}"), "{what}"),
    }
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// An API error: JSON `{error, message}` with a fitting status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Sign in with a bearer token first.")]
    Unauthorized,
    #[error("The username or password is wrong.")]
    WrongCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Throttled: sent with `Retry-After`.
    #[error("Too many tries. Wait {} seconds and try again.", .0.seconds())]
    TooManyRequests(RetryAfter),
    #[error("{}", internal_message(.0))]
    Internal(#[source] anyhow::Error),
}

fn internal_message(error: &anyhow::Error) -> &'static str {
    match outage_of(error.as_ref()) {
        Some(_) => {
            "The service is briefly unavailable, and this request was not saved. Try again in a moment."
        }
        None => "Something went wrong on our side. Please try again.",
    }
}

impl ApiError {
    fn outage(&self) -> Option<Outage> {
        match self {
            ApiError::Internal(e) => outage_of(e.as_ref()),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::WrongCredentials => "wrong_credentials",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::TooManyRequests(_) => "too_many_requests",
            ApiError::Internal(_) if self.outage().is_some() => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<RetryAfter> for ApiError {
    fn from(wait: RetryAfter) -> Self {
        ApiError::TooManyRequests(wait)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(anyhow::Error::new(e))
    }
}

/// The one place a rule's refusal becomes an API error, in English.
impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(message) => ApiError::NotFound(message.english()),
            ServiceError::Forbidden(message) => ApiError::Forbidden(message.english()),
            ServiceError::Invalid(problems) => {
                ApiError::BadRequest(Message::All(problems).english())
            }
            ServiceError::Conflict(message) => ApiError::Conflict(message.english()),
            ServiceError::Store(e) => ApiError::Internal(anyhow::Error::new(e)),
            ServiceError::Hashing(e) => ApiError::Internal(anyhow::Error::new(e)),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::WrongCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) if self.outage().is_some() => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let ApiError::Internal(e) = self {
            log_failure(e, self.outage(), "API request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if self.outage().is_some() {
            response.insert_header((header::RETRY_AFTER, RETRY_AFTER_OUTAGE_SECS));
        }
        if matches!(self, ApiError::Unauthorized | ApiError::WrongCredentials) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let ApiError::TooManyRequests(wait) = self {
            response.insert_header((header::RETRY_AFTER, wait.seconds()));
        }
        response.json(serde_json::json!({
            "error": self.code(),
            "message": self.to_string(),
        }))
    }
}

/// JSON body and query errors from actix become our JSON errors, so bad
/// input never gets an HTML page or a 5xx on the API.
pub fn json_error(
    err: actix_web::error::JsonPayloadError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::BadRequest(format!(
        "The request body is not valid JSON for this call: {err}"
    ))
    .into()
}

pub fn path_error(
    err: actix_web::error::PathError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::NotFound(format!("Nothing here: {err}")).into()
}

pub fn form_error(
    err: actix_web::error::UrlencodedError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    PageError::bad_request(format!("The form could not be read: {err}")).into()
}
