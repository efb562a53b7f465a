//! A course's glossary page, `/courses/{slug}/glossary`: every word of the
//! course in course order or A–Z (`?order=az`, a plain link), with the
//! viewer's home-language translation and, with JavaScript, the lessons'
//! Listen button (`app.js` adds it to every `dt[data-say]`). Who may see
//! it is `service::glossary`'s rule: as the course page.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::errors::PageError;
use super::session::{Viewer, page_context};
use super::{State, render_page as render};
use crate::service::glossary::{self, Order};

#[derive(Deserialize)]
pub struct GlossaryQuery {
    order: Option<String>,
}

#[derive(Serialize)]
struct WordView {
    term: String,
    definitions: Vec<String>,
    translation: Option<String>,
}

pub async fn glossary_page(
    state: State,
    viewer: Viewer,
    slug: web::Path<String>,
    query: web::Query<GlossaryQuery>,
) -> Result<HttpResponse, PageError> {
    // A visitor's translations follow the interface language.
    let home_language = viewer
        .account
        .as_ref()
        .map_or(viewer.language.code, |a| a.home_language());
    let found = glossary::glossary(
        state.service(),
        &slug,
        home_language,
        Order::parse(query.order.as_deref()),
    )?;
    let course = &found.course.course;
    let words: Vec<WordView> = found
        .words
        .into_iter()
        .map(|w| WordView {
            term: w.term,
            definitions: w.definitions,
            translation: w.translation,
        })
        .collect();
    let mut context = page_context(viewer.language, viewer.account.as_ref(), &viewer.session);
    context.insert("slug", &course.slug);
    context.insert("course_title", &course.settings.title);
    context.insert("order", &found.order);
    context.insert("home_language", &found.home_language);
    context.insert(
        "home_language_name",
        &crate::domain::home_language::isolated_name(&found.home_language.code),
    );
    context.insert("translated", &found.translated);
    context.insert("count", &words.len());
    context.insert("words", &words);
    context.insert("signed_in", &viewer.account.is_some());
    render(&state, "glossary.html", &context)
}
