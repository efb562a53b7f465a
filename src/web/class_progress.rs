//! The class progress page: for the class's tutor, coordinators and
//! admins. Other tutors and learners get 403 (a learner sees their own
//! progress at /progress), an unknown class 404, visitors sign in first.
//! The rule and the figures are [`crate::service::classes::progress`],
//! shared with the API.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::errors::PageError;
use super::session::{SignedIn, page_context};
use super::{State, render_page};
use crate::domain::class_progress::{Column, LearnerCourse, QuizShares};
use crate::domain::needs_help::{INACTIVE_DAYS, NeedsHelp};
use crate::service::classes::progress;
use crate::store::class_progress::Member;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes/{id}/progress", web::get().to(class_progress_page));
}

/// The class as the page names it.
#[derive(Serialize)]
struct ClassRef<'a> {
    id: i32,
    name: &'a str,
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
    let loaded = progress::load(state.service(), &user.account, id.into_inner()).await?;
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
        &ClassRef {
            id: loaded.class.id,
            name: &loaded.class.name,
        },
    );
    context.insert("learner_count", &loaded.members.len());
    let live_answers: Vec<(&str, u64, u64)> = loaded
        .members
        .iter()
        .zip(&loaded.live_answers)
        .filter(|(_, live)| live.answered > 0)
        .map(|(m, live)| (m.full_name.as_str(), live.answered, live.right))
        .collect();
    context.insert("live_answers", &live_answers);
    context.insert("help", &help);
    context.insert("courses", &courses);
    context.insert("inactive_days", &INACTIVE_DAYS);
    render_page(&state, "class_progress.html", &context)
}
