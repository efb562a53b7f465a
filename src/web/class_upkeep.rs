//! Keeping a class up over a term: rename it and change its courses
//! (`/classes/{id}/edit`), archive it at the end of the term and bring it
//! back (`/classes/archived` lists those), and take a learner out of it
//! after a confirmation page (their progress stays).
//!
//! Each handler reads the form, calls one function of
//! [`crate::service::classes`] (shared with `PATCH /api/v1/classes/{id}`
//! and `DELETE /api/v1/classes/{id}/members/{user}`) and renders or
//! redirects. Who may: whoever runs the class (its tutor, coordinators,
//! admins); a tutor of another class gets 403, a learner 403.

use std::borrow::Cow;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use fluent_templates::fluent_bundle::FluentValue;
use serde::Serialize;

use super::classes::field;
use super::confirm::{Confirm, ConfirmForm, confirm_page};
use super::errors::PageError;
use super::redirect::see_other;
use super::session::{SignedIn, check_csrf, page_context};
use super::{AppState, State, render_page};
use crate::i18n;
use crate::service::classes::{self as service, ClassChange, ClassSummary, members};
use crate::service::{Message, ServiceError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Before `/classes/{id}`, which would take "archived" for an id.
    cfg.route("/classes/archived", web::get().to(archived))
        .route("/classes/{id}/edit", web::get().to(edit_form))
        .route("/classes/{id}/edit", web::post().to(edit))
        .route("/classes/{id}/archive", web::post().to(archive))
        .route("/classes/{id}/restore", web::post().to(restore))
        .route(
            "/classes/{id}/members/{user}/remove",
            web::get().to(confirm_remove),
        )
        .route(
            "/classes/{id}/members/{user}/remove",
            web::post().to(remove),
        );
}

/// The archived classes this person runs, each with a button to bring it
/// back.
async fn archived(state: State, user: SignedIn) -> Result<HttpResponse, PageError> {
    let classes = service::list_archived(state.service(), &user.account).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("classes", &classes);
    render_page(&state, "class_archived.html", &context)
}

#[derive(Serialize)]
struct CourseChoice {
    slug: String,
    title: String,
    chosen: bool,
    published: bool,
}

/// Every published course, and the class's own that are not published
/// any more (so saving the form does not drop them unasked), the chosen
/// ones first in the class's order.
fn course_choices(state: &AppState, class: &ClassSummary, chosen: &[String]) -> Vec<CourseChoice> {
    let mut choices: Vec<CourseChoice> = class
        .courses
        .iter()
        .map(|c| CourseChoice {
            slug: c.slug.clone(),
            title: c.title.clone(),
            chosen: chosen.contains(&c.slug),
            published: c.published,
        })
        .collect();
    for published in state.catalog.snapshot().values() {
        let slug = &published.course.slug;
        if !choices.iter().any(|c| &c.slug == slug) {
            choices.push(CourseChoice {
                slug: slug.clone(),
                title: published.course.settings.title.clone(),
                chosen: chosen.contains(slug),
                published: true,
            });
        }
    }
    choices
}

fn edit_page(
    state: &AppState,
    user: &SignedIn,
    class: &ClassSummary,
    name: &str,
    chosen: &[String],
    errors: &[String],
) -> Result<HttpResponse, PageError> {
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class", class);
    context.insert("name", name);
    context.insert("courses", &course_choices(state, class, chosen));
    context.insert("errors", errors);
    render_page(state, "class_edit.html", &context)
}

async fn edit_form(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let class = service::managed_summary(state.service(), &user.account, path.into_inner()).await?;
    edit_page(
        &state,
        &user,
        &class,
        &class.name,
        &class.course_slugs(),
        &[],
    )
}

/// Saves a new name and course list; the form again, saying what is
/// wrong, when something is.
async fn edit(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let id = path.into_inner();
    let chosen: Vec<String> = form
        .iter()
        .filter(|(n, _)| n == "course")
        .map(|(_, v)| v.clone())
        .collect();
    let name = field(&form, "name");
    let change = ClassChange {
        name: Some(name),
        courses: Some(&chosen),
        archived: None,
    };
    match service::change(state.service(), &user.account, id, change).await {
        Ok(class) => Ok(see_other(&format!("/classes/{}?saved=1", class.id))),
        Err(ServiceError::Invalid(problems) | ServiceError::Conflict(Message::All(problems))) => {
            let class = service::managed_summary(state.service(), &user.account, id).await?;
            let lang = user.language.code;
            let errors: Vec<String> = problems.iter().map(|m| m.in_language(lang)).collect();
            let mut response = edit_page(&state, &user, &class, name, &chosen, &errors)?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_archived(
    state: State,
    user: SignedIn,
    id: i32,
    form: &[(String, String)],
    archived: bool,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(form, "csrf"))?;
    let change = ClassChange {
        archived: Some(archived),
        ..ClassChange::default()
    };
    let class = service::change(state.service(), &user.account, id, change).await?;
    Ok(see_other(&format!("/classes/{}", class.id)))
}

/// Archives the class: off the class lists (its tutor's, its learners'
/// and their home pages), kept in reports and in "Archived classes".
/// Nothing is lost, and it can be brought back, so no question first.
async fn archive(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    set_archived(state, user, path.into_inner(), &form, true).await
}

/// Brings an archived class back to the lists.
async fn restore(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    set_archived(state, user, path.into_inner(), &form, false).await
}

/// "Take Amina Yusuf out of Monday group? Her progress is kept."
async fn confirm_remove(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, learner_id) = path.into_inner();
    let (class, learner) =
        members::member_of(state.service(), &user.account, class_id, learner_id).await?;
    let lang = user.language.code;
    let args = HashMap::from([
        (
            Cow::Borrowed("name"),
            FluentValue::from(learner.full_name.clone()),
        ),
        (
            Cow::Borrowed("class"),
            FluentValue::from(class.name.clone()),
        ),
    ]);
    confirm_page(
        &state,
        &user,
        &Confirm {
            heading: i18n::text_with(lang, "class-remove-confirm-title", &args),
            warning: i18n::text_with(lang, "class-remove-confirm-warning", &args),
            button: i18n::text(lang, "class-remove-confirm-button"),
            action: format!("/classes/{}/members/{}/remove", class.id, learner.id),
            cancel: format!("/classes/{}#members", class.id),
            fields: &[],
        },
    )
}

/// Takes the learner out of the class: only from the confirmation page.
async fn remove(
    state: State,
    user: SignedIn,
    path: web::Path<(i32, i32)>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, form.token())?;
    let (class_id, learner_id) = path.into_inner();
    if !form.confirmed() {
        let (class, learner) =
            members::member_of(state.service(), &user.account, class_id, learner_id).await?;
        return Ok(see_other(&format!(
            "/classes/{}/members/{}/remove",
            class.id, learner.id
        )));
    }
    members::remove(state.service(), &user.account, class_id, learner_id).await?;
    Ok(see_other(&format!("/classes/{class_id}#members")))
}
