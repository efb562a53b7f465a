//! A class's progress, as its tutor sees it: for each course, a grid of
//! learners against lessons and quizzes; who needs help and why; and, per
//! quiz question, the share of learners who got it right.
//!
//! Everything is computed against the courses as published now, like a
//! learner's own progress: a record or attempt for a lesson, quiz or
//! question the course no longer has counts for nothing, and a course that
//! is no longer published shows no grid (only its completions).
//!
//! Question shares count each learner's **first** attempt at the quiz:
//! after it the learner has seen the feedback, so later attempts show what
//! they remembered rather than what the teaching left unclear.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::grading::score_of;
use super::needs_help::{self, NeedsHelp};
use super::progress::{CourseProgress, ProgressRecord};
use crate::course::{CompiledCourse, LessonKind, Quiz};

/// A question at or under this share right is marked "most got it wrong".
pub const MOSTLY_WRONG_BELOW: u8 = 50;
/// Question prompts longer than this are cut (the quiz page has the rest).
const PROMPT_CHARS: usize = 90;

/// A class course: its slug, and the course when it is still published.
#[derive(Debug, Clone, Copy)]
pub struct ClassCourse<'a> {
    pub slug: &'a str,
    pub course: Option<&'a CompiledCourse>,
}

/// One stored quiz attempt, as much of it as class progress needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptFacts {
    /// Breaks ties between attempts stored in the same instant.
    pub id: i32,
    pub user_id: i32,
    pub course_slug: String,
    pub lesson_id: String,
    pub passed: bool,
    pub submitted_at: DateTime<Utc>,
    /// Each question's id and whether it was right (empty when the stored
    /// results could not be read).
    pub questions: Vec<(String, bool)>,
}

/// A learner's enrolment in one of the class's courses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentFacts {
    pub course_slug: String,
    pub last_active_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Everything stored about one member, for the class's courses only.
#[derive(Debug, Clone, Default)]
pub struct LearnerFacts {
    pub user_id: i32,
    pub joined_at: DateTime<Utc>,
    pub enrolments: Vec<EnrolmentFacts>,
    /// Progress records by course slug.
    pub records: BTreeMap<String, Vec<ProgressRecord>>,
    /// The latest change to any of those records.
    pub records_updated_at: Option<DateTime<Utc>>,
    pub attempts: Vec<AttemptFacts>,
}

/// One cell of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Cell {
    NotStarted,
    /// A lesson marked done.
    Done,
    /// A quiz passed, with the best score.
    Passed {
        best: u8,
        attempts: u32,
    },
    /// A quiz tried and not passed yet.
    Failed {
        best: Option<u8>,
        attempts: u32,
    },
}

/// A grid column: one lesson or quiz, in course order, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub kind: &'static str,
}

/// One learner in one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LearnerCourse {
    pub slug: String,
    pub enrolled: bool,
    /// None when the course is no longer published.
    pub percent: Option<u8>,
    pub completed: bool,
    /// When the learner first completed the course.
    pub completed_at: Option<DateTime<Utc>>,
    /// One per column of the course's grid.
    pub cells: Vec<Cell>,
}

/// One learner's row on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LearnerRow {
    pub user_id: i32,
    pub last_activity: DateTime<Utc>,
    pub needs_help: Vec<NeedsHelp>,
    /// In the class's course order.
    pub courses: Vec<LearnerCourse>,
}

/// How the class did on one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionShare {
    pub id: String,
    /// The question's text, cut short.
    pub prompt: String,
    /// Learners right on their first attempt.
    pub right: usize,
    /// Learners whose first attempt had this question.
    pub of: usize,
    /// None when nobody has tried it yet.
    pub percent: Option<u8>,
    /// Right for fewer than half: what confused the class.
    pub mostly_wrong: bool,
}

/// One quiz's questions, hardest for the class first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuizShares {
    pub id: String,
    pub title: String,
    /// Learners who have tried the quiz.
    pub learners: usize,
    pub questions: Vec<QuestionShare>,
}

/// One of the class's courses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseGrid {
    pub slug: String,
    /// None when the course is no longer published.
    pub title: Option<String>,
    pub published: bool,
    pub columns: Vec<Column>,
    pub quizzes: Vec<QuizShares>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassProgress {
    pub courses: Vec<CourseGrid>,
    /// In the order given.
    pub learners: Vec<LearnerRow>,
}

impl ClassProgress {
    pub fn build(
        courses: &[ClassCourse<'_>],
        learners: &[LearnerFacts],
        now: DateTime<Utc>,
    ) -> ClassProgress {
        let grids = courses
            .iter()
            .map(|class_course| course_grid(class_course, learners))
            .collect();
        let rows = learners
            .iter()
            .map(|learner| learner_row(courses, learner, now))
            .collect();
        ClassProgress {
            courses: grids,
            learners: rows,
        }
    }
}

fn columns(course: &CompiledCourse) -> Vec<Column> {
    course
        .lessons()
        .enumerate()
        .map(|(index, lesson)| Column {
            number: index + 1,
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            kind: lesson.kind.as_str(),
        })
        .collect()
}

/// The status of each lesson and quiz, in course order.
pub fn cells(course: &CompiledCourse, records: &[ProgressRecord]) -> Vec<Cell> {
    let by_id: HashMap<&str, &ProgressRecord> =
        records.iter().map(|r| (r.lesson_id.as_str(), r)).collect();
    course
        .lessons()
        .map(|lesson| {
            let Some(record) = by_id.get(lesson.id.as_str()) else {
                return Cell::NotStarted;
            };
            match lesson.kind {
                LessonKind::Lesson if record.done => Cell::Done,
                LessonKind::Lesson => Cell::NotStarted,
                LessonKind::Quiz if record.passed => Cell::Passed {
                    best: record.best_score.unwrap_or(0),
                    attempts: record.attempts,
                },
                LessonKind::Quiz if record.attempts > 0 => Cell::Failed {
                    best: record.best_score,
                    attempts: record.attempts,
                },
                LessonKind::Quiz => Cell::NotStarted,
            }
        })
        .collect()
}

fn course_grid(class_course: &ClassCourse<'_>, learners: &[LearnerFacts]) -> CourseGrid {
    let Some(course) = class_course.course else {
        return CourseGrid {
            slug: class_course.slug.to_string(),
            title: None,
            published: false,
            columns: Vec::new(),
            quizzes: Vec::new(),
        };
    };
    let attempts: Vec<&AttemptFacts> = learners
        .iter()
        .flat_map(|l| &l.attempts)
        .filter(|a| a.course_slug == course.slug)
        .collect();
    let quizzes = course
        .lessons()
        .filter_map(|lesson| {
            let quiz = lesson.quiz.as_ref()?;
            let (learners, questions) = question_shares(quiz, &lesson.id, &attempts);
            Some(QuizShares {
                id: lesson.id.clone(),
                title: lesson.title.clone(),
                learners,
                questions,
            })
        })
        .collect();
    CourseGrid {
        slug: course.slug.clone(),
        title: Some(course.settings.title.clone()),
        published: true,
        columns: columns(course),
        quizzes,
    }
}

/// Per question of `quiz`, how many learners got it right on their first
/// attempt, hardest first (questions nobody has tried last). Also returns
/// how many learners tried the quiz. `attempts` may hold other quizzes'
/// attempts (skipped) and results for questions the quiz no longer has
/// (ignored).
pub fn question_shares(
    quiz: &Quiz,
    quiz_id: &str,
    attempts: &[&AttemptFacts],
) -> (usize, Vec<QuestionShare>) {
    let mut first: HashMap<i32, &AttemptFacts> = HashMap::new();
    for attempt in attempts.iter().filter(|a| a.lesson_id == quiz_id) {
        first
            .entry(attempt.user_id)
            .and_modify(|kept| {
                if (attempt.submitted_at, attempt.id) < (kept.submitted_at, kept.id) {
                    *kept = attempt;
                }
            })
            .or_insert(attempt);
    }
    let mut shares: Vec<(usize, QuestionShare)> = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(position, question)| {
            let results = first
                .values()
                .filter_map(|a| a.questions.iter().find(|(id, _)| *id == question.id));
            let (mut right, mut of) = (0, 0);
            for (_, correct) in results {
                of += 1;
                right += usize::from(*correct);
            }
            let percent = (of > 0).then(|| score_of(right, of));
            let share = QuestionShare {
                id: question.id.clone(),
                prompt: short(&question.text.text),
                right,
                of,
                percent,
                mostly_wrong: percent.is_some_and(|p| p < MOSTLY_WRONG_BELOW),
            };
            (position, share)
        })
        .collect();
    // Hardest first; among equals, quiz order. Untried questions last.
    shares.sort_by_key(|(position, share)| (share.percent.map_or(u16::MAX, u16::from), *position));
    (first.len(), shares.into_iter().map(|(_, s)| s).collect())
}

fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= PROMPT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(PROMPT_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn learner_row(
    courses: &[ClassCourse<'_>],
    learner: &LearnerFacts,
    now: DateTime<Utc>,
) -> LearnerRow {
    let empty = Vec::new();
    let per_course: Vec<LearnerCourse> = courses
        .iter()
        .map(|class_course| {
            let enrolment = learner
                .enrolments
                .iter()
                .find(|e| e.course_slug == class_course.slug);
            let records = learner.records.get(class_course.slug).unwrap_or(&empty);
            let completed_at = enrolment.and_then(|e| e.completed_at);
            match class_course.course {
                Some(course) => {
                    let progress = CourseProgress::of(course, records);
                    LearnerCourse {
                        slug: class_course.slug.to_string(),
                        enrolled: enrolment.is_some(),
                        percent: Some(progress.percent),
                        completed: progress.completed,
                        completed_at,
                        cells: cells(course, records),
                    }
                }
                None => LearnerCourse {
                    slug: class_course.slug.to_string(),
                    enrolled: enrolment.is_some(),
                    percent: None,
                    completed: completed_at.is_some(),
                    completed_at,
                    cells: Vec::new(),
                },
            }
        })
        .collect();
    let moments = learner
        .enrolments
        .iter()
        .map(|e| e.last_active_at)
        .chain(learner.records_updated_at)
        .chain(learner.attempts.iter().map(|a| a.submitted_at));
    let last_activity = needs_help::last_activity(learner.joined_at, moments);
    let finished = per_course.iter().all(|c| c.completed);
    LearnerRow {
        user_id: learner.user_id,
        last_activity,
        needs_help: needs_help::needs_help(
            courses,
            &learner.attempts,
            last_activity,
            finished,
            now,
        ),
        courses: per_course,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::Duration;

    use super::*;
    use crate::course::{self, source};

    pub(crate) fn first_steps() -> CompiledCourse {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/platform/first-steps");
        let source = source::load_course(&root, "first-steps");
        course::compile(&source, &Default::default(), &Default::default())
            .course
            .expect("the fixture compiles")
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    /// An attempt by learner 1 at `minutes`, right on the questions named.
    pub(crate) fn attempt(minutes: i64, quiz: &str, passed: bool, right: &[&str]) -> AttemptFacts {
        attempt_by(1, minutes, quiz, passed, right)
    }

    fn attempt_by(
        user: i32,
        minutes: i64,
        quiz: &str,
        passed: bool,
        right: &[&str],
    ) -> AttemptFacts {
        let ids = ["who-leads", "wear", "gap", "match", "order"];
        AttemptFacts {
            id: i32::try_from(minutes).unwrap() * 10 + user,
            user_id: user,
            course_slug: "first-steps".into(),
            lesson_id: quiz.into(),
            passed,
            submitted_at: at(minutes),
            questions: ids
                .iter()
                .map(|id| (id.to_string(), right.contains(id)))
                .collect(),
        }
    }

    fn record(
        id: &str,
        done: bool,
        best: Option<u8>,
        passed: bool,
        attempts: u32,
    ) -> ProgressRecord {
        ProgressRecord {
            lesson_id: id.into(),
            done,
            best_score: best,
            passed,
            attempts,
        }
    }

    #[test]
    fn cells_follow_course_order_with_quiz_scores_and_tries() {
        let course = first_steps();
        assert_eq!(
            cells(&course, &[]),
            vec![Cell::NotStarted, Cell::NotStarted, Cell::NotStarted]
        );
        let records = [
            record("shoes", true, None, false, 0),
            record("first-quiz", false, Some(40), false, 2),
            record("removed", true, None, false, 0),
        ];
        assert_eq!(
            cells(&course, &records),
            vec![
                Cell::NotStarted,
                Cell::Done,
                Cell::Failed {
                    best: Some(40),
                    attempts: 2
                }
            ]
        );
        let passed = [record("first-quiz", true, Some(80), true, 3)];
        assert_eq!(
            cells(&course, &passed)[2],
            Cell::Passed {
                best: 80,
                attempts: 3
            }
        );
    }

    #[test]
    fn shares_count_first_attempts_hardest_question_first() {
        let course = first_steps();
        let quiz = course.lesson("first-quiz").unwrap().quiz.clone().unwrap();
        let all = ["who-leads", "wear", "gap", "match", "order"];
        let attempts = [
            // Learner 1 got "gap" wrong first, right later: the first counts.
            attempt_by(
                1,
                10,
                "first-quiz",
                false,
                &["who-leads", "wear", "match", "order"],
            ),
            attempt_by(1, 20, "first-quiz", true, &all),
            // Learner 2's attempts arrive out of order.
            attempt_by(2, 30, "first-quiz", true, &all),
            attempt_by(2, 5, "first-quiz", false, &["who-leads", "order"]),
            // Another quiz's attempt is not counted.
            attempt_by(3, 5, "other-quiz", false, &[]),
        ];
        let refs: Vec<&AttemptFacts> = attempts.iter().collect();
        let (learners, shares) = question_shares(&quiz, "first-quiz", &refs);
        assert_eq!(learners, 2);
        let summary: Vec<(&str, usize, usize, Option<u8>, bool)> = shares
            .iter()
            .map(|s| (s.id.as_str(), s.right, s.of, s.percent, s.mostly_wrong))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("gap", 0, 2, Some(0), true),
                ("wear", 1, 2, Some(50), false),
                ("match", 1, 2, Some(50), false),
                ("who-leads", 2, 2, Some(100), false),
                ("order", 2, 2, Some(100), false),
            ]
        );
        assert_eq!(shares[3].prompt, "Who leads your team?");
    }

    #[test]
    fn shares_ignore_unknown_questions_and_put_untried_ones_last() {
        let course = first_steps();
        let quiz = course.lesson("first-quiz").unwrap().quiz.clone().unwrap();
        let mut old = attempt(1, "first-quiz", false, &[]);
        // Stored under an older version: two questions it no longer has
        // and one it still has.
        old.questions = vec![
            ("gone".into(), true),
            ("also-gone".into(), false),
            ("wear".into(), true),
        ];
        let (learners, shares) = question_shares(&quiz, "first-quiz", &[&old]);
        assert_eq!(learners, 1);
        assert_eq!(shares[0].id, "wear");
        assert_eq!((shares[0].right, shares[0].of), (1, 1));
        assert!(shares[1..].iter().all(|s| s.of == 0 && s.percent.is_none()));
        assert_eq!(shares.len(), 5, "one per question the quiz has now");
    }

    #[test]
    fn long_prompts_are_cut_on_a_character_boundary() {
        let long = "ح".repeat(200);
        let cut = short(&long);
        assert_eq!(cut.chars().count(), PROMPT_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_class_grid_with_a_course_gone_and_a_learner_of_each_kind() {
        let course = first_steps();
        let courses = [
            ClassCourse {
                slug: "first-steps",
                course: Some(&course),
            },
            ClassCourse {
                slug: "retired",
                course: None,
            },
        ];
        let now = at(60 * 24 * 30);
        let enrolled =
            |slug: &str, active: DateTime<Utc>, done: Option<DateTime<Utc>>| EnrolmentFacts {
                course_slug: slug.into(),
                last_active_at: active,
                completed_at: done,
            };
        let finished = LearnerFacts {
            user_id: 1,
            joined_at: at(0),
            enrolments: vec![
                enrolled("first-steps", at(100), Some(at(100))),
                enrolled("retired", at(0), Some(at(50))),
            ],
            records: BTreeMap::from([(
                "first-steps".into(),
                vec![
                    record("hello", true, None, false, 0),
                    record("shoes", true, None, false, 0),
                    record("first-quiz", true, Some(100), true, 1),
                ],
            )]),
            records_updated_at: Some(at(100)),
            attempts: vec![attempt_by(1, 100, "first-quiz", true, &[])],
        };
        let never_started = LearnerFacts {
            user_id: 2,
            joined_at: at(0),
            enrolments: vec![enrolled("first-steps", at(0), None)],
            ..Default::default()
        };
        let progress = ClassProgress::build(&courses, &[finished, never_started], now);

        assert_eq!(progress.courses[0].columns.len(), 3);
        assert_eq!(progress.courses[0].columns[2].kind, "quiz");
        assert!(!progress.courses[1].published);
        assert_eq!(progress.courses[0].quizzes[0].learners, 1);

        let first = &progress.learners[0];
        assert_eq!(first.courses[0].percent, Some(100));
        assert!(first.courses[0].completed);
        assert_eq!(first.courses[1].percent, None, "retired: no percent");
        assert!(first.courses[1].completed, "but its completion stays");
        assert!(first.needs_help.is_empty(), "finished: nothing to chase");

        let second = &progress.learners[1];
        assert_eq!(second.courses[0].percent, Some(0));
        assert!(!second.courses[1].enrolled);
        assert_eq!(
            second.needs_help,
            vec![NeedsHelp::Inactive {
                days: 30,
                since: at(0)
            }],
            "never started: counted from joining"
        );
    }
}
