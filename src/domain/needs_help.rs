//! "Needs help": the learners a tutor should talk to first.
//!
//! Two rules, both about the class's courses only:
//!
//! - **Stuck on a quiz**: two or more failed attempts at the same quiz and
//!   no pass of it yet. A learner who passed a quiz once is not stuck on
//!   it, even if they later retake it for practice and fail.
//! - **Inactive**: nothing done for [`INACTIVE_DAYS`] days. Activity is the
//!   latest of: opening or finishing a lesson, a quiz attempt, and joining
//!   the class. Joining counts so that a learner who never started is
//!   flagged a week after joining, and one who just joined is not flagged
//!   for idleness from before. A learner who has completed every course of
//!   the class has nothing left to do and is never flagged as inactive.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::class_progress::{AttemptFacts, ClassCourse};
use crate::course::LessonKind;

/// Days without activity after which a learner needs help.
pub const INACTIVE_DAYS: i64 = 7;
/// Failed attempts at one quiz, without a pass, after which a learner needs help.
pub const FAILURES: u32 = 2;

/// Why a learner needs help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NeedsHelp {
    /// Failed the same quiz `failures` times and has not passed it.
    FailedQuiz {
        course: String,
        quiz: String,
        quiz_title: String,
        failures: u32,
    },
    /// Nothing done for `days` days, since `since`.
    Inactive { days: i64, since: DateTime<Utc> },
}

/// The latest moment the learner did something, never earlier than
/// joining the class.
pub fn last_activity(
    joined_at: DateTime<Utc>,
    moments: impl IntoIterator<Item = DateTime<Utc>>,
) -> DateTime<Utc> {
    moments.into_iter().fold(joined_at, DateTime::max)
}

/// The reasons one learner needs help, quizzes in course order first.
/// `attempts` are this learner's; attempts at quizzes the courses no longer
/// have are ignored.
pub fn needs_help(
    courses: &[ClassCourse<'_>],
    attempts: &[AttemptFacts],
    last_activity: DateTime<Utc>,
    finished_everything: bool,
    now: DateTime<Utc>,
) -> Vec<NeedsHelp> {
    let mut reasons = Vec::new();
    for class_course in courses {
        let Some(course) = class_course.course else {
            continue;
        };
        for quiz in course.lessons().filter(|l| l.kind == LessonKind::Quiz) {
            let at_this_quiz = || {
                attempts
                    .iter()
                    .filter(|a| a.course_slug == course.slug && a.lesson_id == quiz.id)
            };
            if at_this_quiz().any(|a| a.passed) {
                continue;
            }
            let failures = u32::try_from(at_this_quiz().count()).unwrap_or(u32::MAX);
            if failures >= FAILURES {
                reasons.push(NeedsHelp::FailedQuiz {
                    course: course.slug.clone(),
                    quiz: quiz.id.clone(),
                    quiz_title: quiz.title.clone(),
                    failures,
                });
            }
        }
    }
    let idle_days = (now - last_activity).num_days();
    if !finished_everything && idle_days >= INACTIVE_DAYS {
        reasons.push(NeedsHelp::Inactive {
            days: idle_days,
            since: last_activity,
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::class_progress::tests::{attempt, first_steps};

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn two_failures_without_a_pass_flag_the_quiz_by_name() {
        let course = first_steps();
        let courses = [ClassCourse {
            slug: "first-steps",
            course: Some(&course),
        }];
        let one = [attempt(1, "first-quiz", false, &[])];
        assert!(needs_help(&courses, &one, now(), false, now()).is_empty());

        let two = [
            attempt(1, "first-quiz", false, &[]),
            attempt(2, "first-quiz", false, &[]),
        ];
        assert_eq!(
            needs_help(&courses, &two, now(), false, now()),
            vec![NeedsHelp::FailedQuiz {
                course: "first-steps".into(),
                quiz: "first-quiz".into(),
                quiz_title: "First day".into(),
                failures: 2,
            }]
        );
    }

    #[test]
    fn a_pass_at_any_time_clears_the_quiz() {
        let course = first_steps();
        let courses = [ClassCourse {
            slug: "first-steps",
            course: Some(&course),
        }];
        let passed_then_practised = [
            attempt(1, "first-quiz", true, &[]),
            attempt(2, "first-quiz", false, &[]),
            attempt(3, "first-quiz", false, &[]),
        ];
        assert!(needs_help(&courses, &passed_then_practised, now(), false, now()).is_empty());
    }

    #[test]
    fn attempts_at_quizzes_the_course_no_longer_has_or_unpublished_courses_count_for_nothing() {
        let course = first_steps();
        let attempts = [
            attempt(1, "removed-quiz", false, &[]),
            attempt(2, "removed-quiz", false, &[]),
        ];
        let courses = [
            ClassCourse {
                slug: "first-steps",
                course: Some(&course),
            },
            ClassCourse {
                slug: "gone",
                course: None,
            },
        ];
        assert!(needs_help(&courses, &attempts, now(), false, now()).is_empty());
    }

    #[test]
    fn seven_days_without_activity_flags_a_learner_who_has_not_finished() {
        let since = now() - Duration::days(8);
        assert_eq!(
            needs_help(&[], &[], since, false, now()),
            vec![NeedsHelp::Inactive { days: 8, since }]
        );
        let six_days = now() - Duration::days(6) - Duration::hours(23);
        assert!(needs_help(&[], &[], six_days, false, now()).is_empty());
        assert!(
            needs_help(&[], &[], since, true, now()).is_empty(),
            "finished everything: nothing to chase"
        );
    }

    #[test]
    fn activity_never_counts_from_before_joining() {
        let joined = now() - Duration::days(2);
        let long_ago = now() - Duration::days(30);
        assert_eq!(last_activity(joined, [long_ago]), joined);
        let yesterday = now() - Duration::days(1);
        assert_eq!(last_activity(joined, [long_ago, yesterday]), yesterday);
        assert_eq!(last_activity(joined, []), joined);
    }
}
