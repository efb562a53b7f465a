//! A class's progress in the JSON API, for the class's tutor, coordinators
//! and admins (the same rule as the page). Part of the `/api/v1` contract.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::State;
use super::bearer::ApiUser;
use super::errors::ApiError;
use crate::domain::class_progress::{Cell, Column, LearnerCourse, QuizShares};
use crate::domain::needs_help::NeedsHelp;
use crate::service::classes::progress;

/// Registered inside the `/api/v1` scope.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes/{id}/progress", web::get().to(class_progress));
}

#[derive(Serialize, ToSchema)]
pub struct ClassProgressBody {
    class: ClassRef,
    /// The class's courses in order, with the grid's columns and, per quiz
    /// question, the share of learners right on their first attempt.
    courses: Vec<ClassCourseBody>,
    /// The class's members, by name.
    learners: Vec<LearnerBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ClassRef {
    id: i32,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClassCourseBody {
    slug: String,
    /// None when the course is no longer published.
    title: Option<String>,
    published: bool,
    /// Lessons and quizzes in course order.
    items: Vec<ItemRef>,
    quizzes: Vec<QuizSharesBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ItemRef {
    id: String,
    title: String,
    /// `lesson` or `quiz`.
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuizSharesBody {
    id: String,
    title: String,
    /// Learners who have tried the quiz.
    learners: usize,
    /// Hardest first.
    questions: Vec<QuestionShareBody>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionShareBody {
    id: String,
    prompt: String,
    /// Learners right on their first attempt.
    right: usize,
    /// Learners whose first attempt had this question.
    of: usize,
    /// None when nobody has answered it yet.
    percent: Option<u8>,
    /// Fewer than half got it right.
    mostly_wrong: bool,
}

#[derive(Serialize, ToSchema)]
pub struct LearnerBody {
    id: i32,
    username: String,
    full_name: String,
    /// The latest of joining the class and any activity in its courses.
    last_activity: DateTime<Utc>,
    /// Empty when all is well.
    needs_help: Vec<HelpReason>,
    courses: Vec<LearnerCourseBody>,
    /// Answers in the class's live classes (not graded quiz attempts).
    live_answers: LiveAnswersBody,
}

#[derive(Serialize, ToSchema)]
pub struct LiveAnswersBody {
    answered: u64,
    /// Right, of the questions that had a right answer.
    right: u64,
}

/// Why a learner needs help.
#[derive(Serialize, ToSchema)]
pub struct HelpReason {
    /// `failed_quiz` or `inactive`.
    reason: String,
    /// In plain English.
    message: String,
    /// The course and quiz (`failed_quiz`).
    #[serde(skip_serializing_if = "Option::is_none")]
    course: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quiz: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failures: Option<u32>,
    /// Days without activity, and since when (`inactive`).
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct LearnerCourseBody {
    slug: String,
    enrolled: bool,
    /// None when the course is no longer published.
    percent: Option<u8>,
    completed: bool,
    /// When the learner first completed the course.
    completed_at: Option<DateTime<Utc>>,
    /// One per item of the course, in order.
    items: Vec<ItemStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct ItemStatus {
    id: String,
    /// `not_started`, `done` (lesson), `passed` or `failed` (quiz).
    status: String,
    /// The best quiz score so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    best_score: Option<u8>,
    /// Quiz attempts so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
}

fn help_reason(reason: &NeedsHelp) -> HelpReason {
    match reason {
        NeedsHelp::FailedQuiz {
            course,
            quiz,
            quiz_title,
            failures,
        } => HelpReason {
            reason: "failed_quiz".into(),
            message: format!(
                "Failed the quiz \"{quiz_title}\" {failures} times and has not passed it yet."
            ),
            course: Some(course.clone()),
            quiz: Some(quiz.clone()),
            failures: Some(*failures),
            days: None,
            since: None,
        },
        NeedsHelp::Inactive { days, since } => HelpReason {
            reason: "inactive".into(),
            message: format!("Has done nothing for {days} days."),
            course: None,
            quiz: None,
            failures: None,
            days: Some(*days),
            since: Some(*since),
        },
    }
}

fn item_status(column: &Column, cell: &Cell) -> ItemStatus {
    let (status, best_score, attempts) = match *cell {
        Cell::NotStarted => ("not_started", None, None),
        Cell::Done => ("done", None, None),
        Cell::Passed { best, attempts } => ("passed", Some(best), Some(attempts)),
        Cell::Failed { best, attempts } => ("failed", best, Some(attempts)),
    };
    ItemStatus {
        id: column.id.clone(),
        status: status.into(),
        best_score,
        attempts,
    }
}

fn learner_course(columns: &[Column], course: &LearnerCourse) -> LearnerCourseBody {
    LearnerCourseBody {
        slug: course.slug.clone(),
        enrolled: course.enrolled,
        percent: course.percent,
        completed: course.completed,
        completed_at: course.completed_at,
        items: columns
            .iter()
            .zip(&course.cells)
            .map(|(column, cell)| item_status(column, cell))
            .collect(),
    }
}

fn quiz_shares(quiz: &QuizShares) -> QuizSharesBody {
    QuizSharesBody {
        id: quiz.id.clone(),
        title: quiz.title.clone(),
        learners: quiz.learners,
        questions: quiz
            .questions
            .iter()
            .map(|q| QuestionShareBody {
                id: q.id.clone(),
                prompt: q.prompt.clone(),
                right: q.right,
                of: q.of,
                percent: q.percent,
                mostly_wrong: q.mostly_wrong,
            })
            .collect(),
    }
}

/// A class's learners with their progress in each of its courses, who
/// needs help, and how the class did on each quiz question. For the
/// class's tutor, coordinators and admins.
#[utoipa::path(get, path = "/api/v1/classes/{id}/progress", params(("id" = i32, Path, description = "The class's id")),
    security(("bearer" = [])),
    responses((status = 200, body = ClassProgressBody), (status = 401), (status = 403, description = "Not this class's tutor, a coordinator or an admin"), (status = 404, description = "No such class")))]
pub(crate) async fn class_progress(
    state: State,
    ApiUser(account): ApiUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let loaded = progress::load(state.service(), &account, id.into_inner()).await?;
    let grids = &loaded.progress.courses;
    let courses = grids
        .iter()
        .enumerate()
        .map(|(index, grid)| ClassCourseBody {
            slug: grid.slug.clone(),
            title: loaded.titles.get(index).cloned().flatten(),
            published: grid.published,
            items: grid
                .columns
                .iter()
                .map(|c| ItemRef {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    kind: c.kind.into(),
                })
                .collect(),
            quizzes: grid.quizzes.iter().map(quiz_shares).collect(),
        })
        .collect();
    let learners = loaded
        .members
        .iter()
        .zip(&loaded.progress.learners)
        .zip(&loaded.live_answers)
        .map(|((member, row), live)| LearnerBody {
            live_answers: LiveAnswersBody {
                answered: live.answered,
                right: live.right,
            },
            id: member.id,
            username: member.username.clone(),
            full_name: member.full_name.clone(),
            last_activity: row.last_activity,
            needs_help: row.needs_help.iter().map(help_reason).collect(),
            courses: row
                .courses
                .iter()
                .zip(grids)
                .map(|(course, grid)| learner_course(&grid.columns, course))
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(ClassProgressBody {
        class: ClassRef {
            id: loaded.class.id,
            name: loaded.class.name.clone(),
        },
        courses,
        learners,
    }))
}
