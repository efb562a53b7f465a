//! The class progress page: for the class's tutor, coordinators and
//! admins. Other tutors and learners get 403 (a learner sees their own
//! progress at /progress), an unknown class 404, visitors sign in first.

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::errors::PageError;
use super::session::{SignedIn, page_context};
use super::{AppState, State, render_page};
use crate::domain::class_progress::{
    ClassCourse, ClassProgress, Column, LearnerCourse, QuizShares,
};
use crate::domain::needs_help::{INACTIVE_DAYS, NeedsHelp};
use crate::store::StoreError;
use crate::store::class_progress::Member;
use crate::store::classes::Class;
use crate::store::courses::PublishedCourse;
use crate::store::users::Account;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes/{id}/progress", web::get().to(class_progress_page));
}

/// Why a class's progress is not shown.
pub(crate) enum Denied {
    NotFound,
    Forbidden,
    Store(StoreError),
}

impl From<StoreError> for Denied {
    fn from(e: StoreError) -> Self {
        Denied::Store(e)
    }
}

impl From<Denied> for PageError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotFound => PageError::NotFound,
            Denied::Forbidden => PageError::Forbidden,
            Denied::Store(e) => e.into(),
        }
    }
}

/// A class's progress, computed for someone allowed to see it.
pub(crate) struct Loaded {
    pub class: Class,
    /// Titles of the class's courses still published, in class order.
    pub titles: Vec<Option<String>>,
    /// In the same order as `progress.learners`.
    pub members: Vec<Member>,
    pub progress: ClassProgress,
}

/// The one rule for both the page and the API: the class's tutor,
/// coordinators and admins (`Class::may_manage`).
pub(crate) async fn load(state: &AppState, account: &Account, id: i32) -> Result<Loaded, Denied> {
    let class = state.store.class(id).await?.ok_or(Denied::NotFound)?;
    if !class.may_manage(account) {
        return Err(Denied::Forbidden);
    }
    let rows = state.store.class_progress_rows(&class).await?;
    let published: Vec<Option<Arc<PublishedCourse>>> = class
        .courses
        .iter()
        .map(|slug| state.catalog.get(slug))
        .collect();
    let courses: Vec<ClassCourse<'_>> = class
        .courses
        .iter()
        .zip(&published)
        .map(|(slug, published)| ClassCourse {
            slug,
            course: published.as_deref().map(|p| &p.course),
        })
        .collect();
    let (members, facts): (Vec<Member>, Vec<_>) = rows.members.into_iter().unzip();
    let progress = ClassProgress::build(&courses, &facts, chrono::Utc::now());
    let titles = published
        .iter()
        .map(|p| p.as_ref().map(|p| p.course.settings.title.clone()))
        .collect();
    Ok(Loaded {
        class,
        titles,
        members,
        progress,
    })
}

#[derive(Serialize)]
struct Person<'a> {
    id: i32,
    username: &'a str,
    full_name: &'a str,
}

fn person(m: &Member) -> Person<'_> {
    Person {
        id: m.id,
        username: &m.username,
        full_name: &m.full_name,
    }
}

#[derive(Serialize)]
struct HelpItem<'a> {
    learner: Person<'a>,
    reasons: &'a [NeedsHelp],
    /// The day of the learner's last activity, as `2026-11-15`.
    last_active_on: String,
}

#[derive(Serialize)]
struct GridRow<'a> {
    learner: Person<'a>,
    course: &'a LearnerCourse,
    /// Reasons that belong on this course's grid: its quizzes, and idleness.
    needs_help: Vec<&'a NeedsHelp>,
}

#[derive(Serialize)]
struct CourseView<'a> {
    slug: &'a str,
    title: Option<&'a str>,
    published: bool,
    columns: &'a [Column],
    rows: Vec<GridRow<'a>>,
    quizzes: &'a [QuizShares],
}

async fn class_progress_page(
    state: State,
    user: SignedIn,
    id: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let loaded = load(&state, &user.account, id.into_inner()).await?;
    let learners = loaded.members.iter().zip(&loaded.progress.learners);
    let help: Vec<HelpItem<'_>> = learners
        .clone()
        .filter(|(_, row)| !row.needs_help.is_empty())
        .map(|(member, row)| HelpItem {
            learner: person(member),
            reasons: &row.needs_help,
            last_active_on: row.last_activity.format("%Y-%m-%d").to_string(),
        })
        .collect();
    let courses: Vec<CourseView<'_>> = loaded
        .progress
        .courses
        .iter()
        .enumerate()
        .map(|(index, grid)| CourseView {
            slug: &grid.slug,
            title: loaded.titles.get(index).and_then(|t| t.as_deref()),
            published: grid.published,
            columns: &grid.columns,
            quizzes: &grid.quizzes,
            rows: learners
                .clone()
                .filter_map(|(member, row)| {
                    Some(GridRow {
                        learner: person(member),
                        course: row.courses.get(index)?,
                        needs_help: row
                            .needs_help
                            .iter()
                            .filter(|reason| match reason {
                                NeedsHelp::FailedQuiz { course, .. } => *course == grid.slug,
                                NeedsHelp::Inactive { .. } => true,
                            })
                            .collect(),
                    })
                })
                .collect(),
        })
        .collect();
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert(
        "class",
        &serde_json::json!({"id": loaded.class.id, "name": loaded.class.name}),
    );
    context.insert("learner_count", &loaded.members.len());
    context.insert("help", &help);
    context.insert("courses", &courses);
    context.insert("inactive_days", &INACTIVE_DAYS);
    render_page(&state, "class_progress.html", &context)
}
