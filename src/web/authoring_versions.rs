//! Previous versions of a course, for admins: the list, and restoring one
//! after a confirmation page (a plain form, so it works without
//! JavaScript). Restoring publishes the version as a new one; the current
//! one is kept in turn. The work is in `crate::authoring::restore`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};

use super::authoring::{AUTHORS, refusal, refused, summary, with_status};
use super::errors::PageError;
use super::session::{SignedIn, check_csrf, page_context};
use super::{State, render_page};
use crate::authoring::versions::KeptVersion;
use crate::authoring::{Author, Outcome};
use crate::i18n;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/authoring/courses/{slug}/versions", web::get().to(list))
        .route(
            "/authoring/courses/{slug}/versions/{name}/restore",
            web::get().to(confirm),
        )
        .route(
            "/authoring/courses/{slug}/versions/{name}/restore",
            web::post().to(restore),
        );
}

#[derive(Deserialize)]
pub struct Restored {
    restored: Option<i32>,
}

#[derive(Serialize)]
struct VersionView<'a> {
    #[serde(flatten)]
    version: &'a KeptVersion,
    /// `2026-12-06 23:15 UTC`.
    replaced: String,
}

fn view(version: &KeptVersion) -> VersionView<'_> {
    VersionView {
        version,
        replaced: version
            .replaced_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default(),
    }
}

fn base_context(state: &State, signed_in: &SignedIn, slug: &str) -> tera::Context {
    let mut context = page_context(
        signed_in.language,
        Some(&signed_in.account),
        &signed_in.session,
    );
    let (title, version) = state.catalog.get(slug).map_or_else(
        || (slug.to_string(), None),
        |p| (p.course.settings.title.clone(), Some(p.version)),
    );
    context.insert("slug", slug);
    context.insert("course_title", &title);
    context.insert("published_version", &version);
    context
}

async fn list(
    state: State,
    signed_in: SignedIn,
    path: web::Path<String>,
    query: web::Query<Restored>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let slug = path.into_inner();
    let viewer = Author::from(&signed_in.account);
    let kept = match state
        .authoring
        .versions(&state.catalog, &viewer, &slug)
        .await
    {
        Ok(kept) => kept,
        Err(e) => return refused(&state, &signed_in, e),
    };
    let mut context = base_context(&state, &signed_in, &slug);
    context.insert("versions", &kept.iter().map(view).collect::<Vec<_>>());
    context.insert("restored", &query.restored);
    render_page(&state, "authoring_versions.html", &context)
}

async fn confirm(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    let (slug, name) = path.into_inner();
    let viewer = Author::from(&signed_in.account);
    let version = match state
        .authoring
        .version(&state.catalog, &viewer, &slug, &name)
        .await
    {
        Ok(version) => version,
        Err(e) => return refused(&state, &signed_in, e),
    };
    let mut context = base_context(&state, &signed_in, &slug);
    context.insert("version", &view(&version));
    render_page(&state, "authoring_restore.html", &context)
}

#[derive(Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    csrf: String,
    /// The version's name again, from the confirmation page: a bare POST
    /// restores nothing.
    #[serde(default)]
    confirm: String,
}

async fn restore(
    state: State,
    signed_in: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<RestoreForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.require(AUTHORS)?;
    check_csrf(&signed_in.session, &form.csrf)?;
    let (slug, name) = path.into_inner();
    let viewer = Author::from(&signed_in.account);
    let lang = signed_in.language.code;
    // Who may, and whether it exists, before the confirmation is looked at.
    let version = match state
        .authoring
        .version(&state.catalog, &viewer, &slug, &name)
        .await
    {
        Ok(version) => version,
        Err(e) => return refused(&state, &signed_in, e),
    };
    if form.confirm != name {
        return Err(PageError::bad_request(i18n::text(
            lang,
            "versions-confirm-first",
        )));
    }
    let outcome = state
        .authoring
        .restore_version(&state.store, &state.catalog, &viewer, &slug, &name)
        .await;
    match outcome {
        Ok(Outcome::Published(publication)) => Ok(super::redirect::see_other(&format!(
            "/authoring/courses/{slug}/versions?restored={}",
            publication.version
        ))),
        Ok(Outcome::HasErrors(checked)) => {
            let mut context = base_context(&state, &signed_in, &slug);
            context.insert("version", &view(&version));
            context.insert("problem", &i18n::text(lang, "versions-has-errors"));
            context.insert("summary", &summary(lang, &checked));
            context.insert("diagnostics", &checked.diagnostics());
            Ok(with_status(
                render_page(&state, "authoring_restore.html", &context)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => {
            let (status, problem) = refusal(lang, e)?;
            super::authoring::refused_page(&state, &signed_in, status, &problem)
        }
    }
}
