//! A class's progress: each learner in each of the class's courses, who
//! needs help, and how the class did on each quiz question. For the
//! class's tutor, coordinators and admins only; the page and the API
//! render the same result.

use std::sync::Arc;

use super::{ClassSummary, managed, summary};
use crate::domain::class_progress::{ClassCourse, ClassProgress};
use crate::service::{Context, Message, ServiceError, ServiceResult};
use crate::store::class_progress::Member;
use crate::store::courses::PublishedCourse;
use crate::store::users::Account;

/// A class's progress, computed for someone allowed to see it.
pub struct Loaded {
    pub class: ClassSummary,
    /// Titles of the class's courses still published, in class order.
    pub titles: Vec<Option<String>>,
    /// In the same order as `progress.learners`.
    pub members: Vec<Member>,
    pub progress: ClassProgress,
    /// Answers given in live classes, in the same order as `members`. Not
    /// graded quiz attempts: they count for nothing but this.
    pub live_answers: Vec<LiveAnswers>,
}

/// A learner's answers in the class's live classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct LiveAnswers {
    pub answered: u64,
    /// Of those with a right answer (a quick check has none).
    pub right: u64,
}

/// The class's progress, for whoever runs it.
pub async fn load(ctx: Context<'_>, account: &Account, id: i32) -> ServiceResult<Loaded> {
    let class = managed(ctx, account, id)
        .await
        .map_err(|refused| match refused {
            ServiceError::Forbidden(_) => {
                ServiceError::forbidden(Message::key("class-progress-error-forbidden"))
            }
            other => other,
        })?;
    let rows = ctx.store.class_progress_rows(&class).await?;
    let published: Vec<Option<Arc<PublishedCourse>>> = class
        .courses
        .iter()
        .map(|slug| ctx.catalog.get(slug))
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
    let live = ctx.store.live_answer_counts(class.id).await?;
    let live_answers = members
        .iter()
        .map(|m| {
            live.get(&m.id)
                .map(|&(answered, right)| LiveAnswers { answered, right })
                .unwrap_or_default()
        })
        .collect();
    let progress = ClassProgress::build(&courses, &facts, chrono::Utc::now());
    let titles = published
        .iter()
        .map(|p| p.as_ref().map(|p| p.course.settings.title.clone()))
        .collect();
    Ok(Loaded {
        class: summary(ctx, account, class),
        titles,
        members,
        progress,
        live_answers,
    })
}
