//! Who may change a course, on a page: its owner and co-authors, a form to
//! add a co-author by username and a button to remove one (the owner and
//! admins), and a form to name the owner (admins). The rules are in
//! `crate::authoring::owners`; these handlers read the form and show what
//! came of it.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;

use super::authoring::{AUTHORS, refusal, refused, with_status};
use super::errors::PageError;
use super::session::{SignedIn, check_csrf, page_context};
use super::{State, render_page};
use crate::authoring::{Author, AuthoringError};
use crate::i18n;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/authoring/courses/{slug}/authors", web::get().to(page))
        .route("/authoring/courses/{slug}/authors", web::post().to(add))
        .route(
            "/authoring/courses/{slug}/authors/{user_id}/remove",
            web::post().to(remove),
        )
        .route(
            "/authoring/courses/{slug}/owner",
            web::post().to(assign_owner),
        );
}

#[derive(Deserialize)]
pub struct PeopleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
}

/// What was just done (fixed words: nothing from the address is shown).
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn people_url(slug: &str) -> String {
    format!("/authoring/courses/{slug}/authors")
}

/// The page, with a notice or a problem and its status.
async fn show(
    state: &State,
    signed_in: &SignedIn,
    slug: &str,
    notice: Option<String>,
    problem: Option<(StatusCode, String)>,
) -> Result<HttpResponse, PageError> {
    let viewer = Author::from(&signed_in.account);
    let authors = match state
        .authoring
        .authors(&state.store, &state.catalog, &viewer, slug)
        .await
    {
        Ok(authors) => authors,
        Err(e) => return refused(state, signed_in, e),
    };
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    let title = state
        .catalog
        .get(slug)
        .map_or_else(|| slug.to_string(), |p| p.course.settings.title.clone());
    context.insert("slug", slug);
    context.insert("course_title", &title);
    context.insert("people", &authors);
    context.insert("notice", &notice);
    let status = problem.as_ref().map_or(StatusCode::OK, |(s, _)| *s);
    context.insert("problem", &problem.map(|(_, p)| p));
    Ok(with_status(
        render_page(state, "authoring_authors.html", &context)?,
        status,
    ))
}

async fn page(
    state: State,
    signed_in: SignedIn,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let slug = path.into_inner();
    let lang = signed_in.language.code;
    let notice = match done.done.as_deref() {
        Some("added") => Some(i18n::text(lang, "authors-added")),
        Some("removed") => Some(i18n::text(lang, "authors-removed")),
        Some("owner") => Some(i18n::text(lang, "authors-owner-set")),
        _ => None,
    };
    show(&state, &signed_in, &slug, notice, None).await
}

/// Back to the page after a change, saying what was done.
fn done(slug: &str, what: &str) -> HttpResponse {
    super::redirect::see_other(&format!("{}?done={what}", people_url(slug)))
}

/// The page again with the problem, or the refusal page when the viewer
/// may not see it at all.
async fn problem(
    state: &State,
    signed_in: &SignedIn,
    slug: &str,
    error: AuthoringError,
) -> Result<HttpResponse, PageError> {
    if matches!(
        error,
        AuthoringError::NotYoursToShare { .. }
            | AuthoringError::AdminsOnly
            | AuthoringError::NoSuchCourse
    ) {
        return refused(state, signed_in, error);
    }
    let refusal = refusal(signed_in.language.code, error)?;
    show(state, signed_in, slug, None, Some(refusal)).await
}

async fn add(
    state: State,
    signed_in: SignedIn,
    path: web::Path<String>,
    form: web::Form<PeopleForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let slug = path.into_inner();
    let actor = Author::from(&signed_in.account);
    match state
        .authoring
        .add_co_author(&state.store, &state.catalog, &actor, &slug, &form.username)
        .await
    {
        Ok(_) => Ok(done(&slug, "added")),
        Err(e) => problem(&state, &signed_in, &slug, e).await,
    }
}

async fn remove(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, i32)>,
    form: web::Form<PeopleForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let (slug, user_id) = path.into_inner();
    let actor = Author::from(&signed_in.account);
    match state
        .authoring
        .remove_co_author(&state.store, &state.catalog, &actor, &slug, user_id)
        .await
    {
        Ok(()) => Ok(done(&slug, "removed")),
        Err(e) => problem(&state, &signed_in, &slug, e).await,
    }
}

async fn assign_owner(
    state: State,
    signed_in: SignedIn,
    path: web::Path<String>,
    form: web::Form<PeopleForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let slug = path.into_inner();
    let actor = Author::from(&signed_in.account);
    match state
        .authoring
        .assign_owner(&state.store, &state.catalog, &actor, &slug, &form.username)
        .await
    {
        Ok(_) => Ok(done(&slug, "owner")),
        Err(e) => problem(&state, &signed_in, &slug, e).await,
    }
}
