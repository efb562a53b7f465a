//! The question before a button that cannot be taken back (delete, revoke,
//! reset): a page of its own that names what will happen, with the button
//! in the danger colour and a way back. It is plain HTML (a form that posts
//! again with `confirm=yes`), so it works without JavaScript, and a tap
//! in the wrong place on a phone costs nothing.

use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};

use super::errors::PageError;
use super::session::{SignedIn, page_context};
use super::{AppState, render_page};

/// What the confirmation page says and where its button posts.
pub(crate) struct Confirm<'a> {
    /// The question, e.g. "Make a new password for Amina Yusuf?".
    pub heading: String,
    /// What will happen, e.g. "Amina Yusuf's printed card will stop
    /// working."
    pub warning: String,
    pub button: String,
    /// Where the button posts (with the CSRF token and `confirm=yes`).
    pub action: String,
    /// Where "Cancel" goes: the page the person came from.
    pub cancel: String,
    /// Fields to post again, e.g. a revocation's reason.
    pub fields: &'a [(&'a str, &'a str)],
}

#[derive(Serialize)]
struct Field<'a> {
    name: &'a str,
    value: &'a str,
}

pub(crate) fn confirm_page(
    state: &AppState,
    user: &SignedIn,
    confirm: &Confirm<'_>,
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("heading", &confirm.heading);
    context.insert("warning", &confirm.warning);
    context.insert("button", &confirm.button);
    context.insert("action", &confirm.action);
    context.insert("cancel", &confirm.cancel);
    context.insert(
        "fields",
        &confirm
            .fields
            .iter()
            .map(|(name, value)| Field { name, value })
            .collect::<Vec<_>>(),
    );
    render_page(state, "confirm.html", &context)
}

/// A form whose button acts only when the confirmation page sent it.
#[derive(Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

impl ConfirmForm {
    pub fn token(&self) -> &str {
        &self.csrf
    }

    /// True only when posted from the confirmation page.
    pub fn confirmed(&self) -> bool {
        self.confirm == "yes"
    }
}
