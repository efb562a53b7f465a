//! The application's rules, written once for pages and the API.
//!
//! Each area has one module. A function takes the acting account and input
//! that has already been read (never a form or a JSON body), and returns a
//! typed result or a [`ServiceError`]. Nothing here knows about HTTP or
//! templates: no actix, no Tera. The web layer reads a request, calls one
//! function, and renders the result; `web::errors` turns a `ServiceError`
//! into a page in the viewer's language or JSON in English, each in one
//! place.
//!
//! ```text
//! web (pages, API)  ->  service (rules)  ->  domain (pure types, rules)
//!                                        ->  store (queries)
//! ```

pub mod certificates;

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;

use crate::catalog::Catalog;
use crate::certificate::Issuer;
use crate::config::Settings;
use crate::i18n;
use crate::store::{Store, StoreError};

pub mod accounts;
pub mod classes;
pub mod glossary;
pub mod learning;
pub mod live;
pub mod question_form;
pub mod reports;

/// What the rules can reach: the database, the published courses, the
/// settings and the certificate issuer. Cheap to build: it only borrows.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub store: &'a Store,
    pub catalog: &'a Catalog,
    pub settings: &'a Settings,
    pub issuer: &'a Issuer,
}

/// Why a rule refused, or that the database failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Nothing by that name, or nothing the actor may know exists.
    #[error("not found: {}", .0.english())]
    NotFound(Message),
    /// The actor may not do this.
    #[error("forbidden: {}", .0.english())]
    Forbidden(Message),
    /// The input breaks a rule; one message per problem, never empty.
    #[error("invalid: {}", Message::All(.0.clone()).english())]
    Invalid(Vec<Message>),
    /// It cannot be done in the current state (no attempts left, already a
    /// member, an answered invitation).
    #[error("conflict: {}", .0.english())]
    Conflict(Message),
    /// The database failed; the cause chain is kept for the log.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The password hasher failed (it never should).
    #[error("{0}")]
    Hashing(#[from] crate::passwords::HashingError),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn not_found(message: impl Into<Message>) -> ServiceError {
        ServiceError::NotFound(message.into())
    }

    pub fn forbidden(message: impl Into<Message>) -> ServiceError {
        ServiceError::Forbidden(message.into())
    }

    /// One problem with the input.
    pub fn invalid(message: impl Into<Message>) -> ServiceError {
        ServiceError::Invalid(vec![message.into()])
    }

    pub fn conflict(message: impl Into<Message>) -> ServiceError {
        ServiceError::Conflict(message.into())
    }

    /// The problems with some input: not found when every problem is that
    /// a thing it names does not exist (`missing_key`: a course, a class
    /// member), invalid otherwise. A request can be well formed, as the
    /// API's description says, and still name nothing: that is a 404, not
    /// a 400.
    pub fn invalid_or_missing(problems: Vec<Message>, missing_key: &str) -> ServiceError {
        let all_missing = !problems.is_empty()
            && problems
                .iter()
                .all(|m| matches!(m, Message::Key { key, .. } if *key == missing_key));
        if all_missing {
            ServiceError::NotFound(Message::All(problems))
        } else {
            ServiceError::Invalid(problems)
        }
    }
}

/// Words for a person: a Fluent key with its arguments, translated when it
/// is shown (a page in the viewer's language, the API in English), or text
/// already in words (a compiler or grading message, which is English).
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Key {
        key: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    Words(String),
    /// Several messages shown together, in order.
    All(Vec<Message>),
}

/// A Fluent argument. Numbers stay numbers so plurals are chosen right.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n as f64)
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Arg {
        Arg::Number(n.into())
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Number(n.into())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(n as f64)
    }
}

impl Message {
    /// An interface string by its Fluent key.
    pub fn key(key: &'static str) -> Message {
        Message::Key {
            key,
            args: Vec::new(),
        }
    }

    /// Adds a Fluent argument (to a keyed message; words stay as they are).
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        if let Message::Key { args, .. } = &mut self {
            args.push((name, value.into()));
        }
        self
    }

    /// The message in an interface language (`en`, `ar`, `fa`, `uk`).
    pub fn in_language(&self, code: &str) -> String {
        match self {
            Message::Words(words) => words.clone(),
            Message::All(messages) => messages
                .iter()
                .map(|m| m.in_language(code))
                .collect::<Vec<_>>()
                .join(" "),
            Message::Key { key, args } if args.is_empty() => i18n::text(code, key),
            Message::Key { key, args } => {
                let args: HashMap<Cow<'static, str>, FluentValue> = args
                    .iter()
                    .map(|(name, value)| {
                        let value = match value {
                            Arg::Text(text) => FluentValue::from(text.clone()),
                            Arg::Number(n) => FluentValue::from(*n),
                        };
                        (Cow::Borrowed(*name), value)
                    })
                    .collect();
                i18n::text_with(code, key, &args)
            }
        }
    }

    /// The message for the API and the log.
    pub fn english(&self) -> String {
        self.in_language("en")
    }
}

impl From<String> for Message {
    fn from(words: String) -> Message {
        Message::Words(words)
    }
}

impl From<&str> for Message {
    fn from(words: &str) -> Message {
        Message::Words(words.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyed_message_is_translated_when_shown() {
        let message = Message::key("error-not-found");
        assert_eq!(message.english(), i18n::text("en", "error-not-found"));
        assert_ne!(message.in_language("ar"), message.english());
    }

    #[test]
    fn words_stay_as_they_are_in_every_language() {
        let message = Message::from("Question 2 has no answer.");
        assert_eq!(message.in_language("uk"), "Question 2 has no answer.");
    }

    #[test]
    fn an_invalid_error_names_every_problem_in_english() {
        let error = ServiceError::Invalid(vec!["First.".into(), "Second.".into()]);
        assert_eq!(error.to_string(), "invalid: First. Second.");
    }
}
