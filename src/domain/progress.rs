//! Where a learner stands in a course, from their progress records and the
//! course as published now.
//!
//! Records are keyed by stable lesson ids. A record for a lesson the course
//! no longer has is kept (history) but counts for nothing; a lesson added
//! later counts as not done yet.

use std::collections::HashMap;

use serde::Serialize;

use crate::course::{CompiledCourse, LessonKind};

/// One row of progress as stored: a lesson marked done, or a quiz's best.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRecord {
    pub lesson_id: String,
    pub done: bool,
    pub best_score: Option<u8>,
    pub passed: bool,
    pub attempts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseProgress {
    pub percent: u8,
    pub completed: bool,
    pub lessons_done: usize,
    pub lessons_total: usize,
    pub quizzes: Vec<QuizProgress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuizProgress {
    pub id: String,
    pub best_score: Option<u8>,
    pub passed: bool,
    pub attempts: u32,
}

impl CourseProgress {
    /// Lessons done plus quizzes passed, out of all lessons and quizzes.
    pub fn of(course: &CompiledCourse, records: &[ProgressRecord]) -> CourseProgress {
        let by_id: HashMap<&str, &ProgressRecord> =
            records.iter().map(|r| (r.lesson_id.as_str(), r)).collect();
        let mut lessons_done = 0;
        let mut lessons_total = 0;
        let mut quizzes = Vec::new();
        for lesson in course.lessons() {
            let record = by_id.get(lesson.id.as_str());
            match lesson.kind {
                LessonKind::Lesson => {
                    lessons_total += 1;
                    if record.is_some_and(|r| r.done) {
                        lessons_done += 1;
                    }
                }
                LessonKind::Quiz => quizzes.push(QuizProgress {
                    id: lesson.id.clone(),
                    best_score: record.and_then(|r| r.best_score),
                    passed: record.is_some_and(|r| r.passed),
                    attempts: record.map_or(0, |r| r.attempts),
                }),
            }
        }
        let passed = quizzes.iter().filter(|q| q.passed).count();
        let total = lessons_total + quizzes.len();
        let done = lessons_done + passed;
        CourseProgress {
            percent: crate::domain::grading::score_of(done, total),
            completed: total > 0 && done == total,
            lessons_done,
            lessons_total,
            quizzes,
        }
    }
}

/// Whether one lesson is done or one quiz passed.
pub fn is_item_done(course: &CompiledCourse, records: &[ProgressRecord], id: &str) -> bool {
    let Some(lesson) = course.lesson(id) else {
        return false;
    };
    records.iter().any(|r| {
        r.lesson_id == id
            && match lesson.kind {
                LessonKind::Lesson => r.done,
                LessonKind::Quiz => r.passed,
            }
    })
}

/// The first lesson or quiz not yet done, in course order: where
/// "continue" takes the learner.
pub fn next_item<'a>(course: &'a CompiledCourse, records: &[ProgressRecord]) -> Option<&'a str> {
    course
        .lessons()
        .find(|l| !is_item_done(course, records, &l.id))
        .map(|l| l.id.as_str())
}

/// The courses named in `requires` that the learner has not completed, in
/// the order written.
pub fn missing_requirements<'a>(
    course: &'a CompiledCourse,
    completed: &std::collections::BTreeSet<String>,
) -> Vec<&'a str> {
    course
        .settings
        .requires
        .iter()
        .filter(|slug| !completed.contains(*slug))
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::{self, source};

    fn first_steps() -> CompiledCourse {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/platform/first-steps");
        let source = source::load_course(&root, "first-steps");
        course::compile(&source, &Default::default(), &Default::default())
            .course
            .expect("the fixture compiles")
    }

    fn lesson_done(id: &str) -> ProgressRecord {
        ProgressRecord {
            lesson_id: id.into(),
            done: true,
            best_score: None,
            passed: false,
            attempts: 0,
        }
    }

    fn quiz(id: &str, best: u8, passed: bool) -> ProgressRecord {
        ProgressRecord {
            lesson_id: id.into(),
            done: passed,
            best_score: Some(best),
            passed,
            attempts: 2,
        }
    }

    #[test]
    fn nothing_done_is_zero_and_continue_starts_at_the_beginning() {
        let course = first_steps();
        let progress = CourseProgress::of(&course, &[]);
        assert_eq!((progress.percent, progress.completed), (0, false));
        assert_eq!(progress.lessons_total, 2);
        assert_eq!(next_item(&course, &[]), Some("hello"));
    }

    #[test]
    fn a_failed_quiz_does_not_count_and_a_passed_one_completes_the_course() {
        let course = first_steps();
        let mut records = vec![
            lesson_done("hello"),
            lesson_done("shoes"),
            quiz("first-quiz", 40, false),
        ];
        let progress = CourseProgress::of(&course, &records);
        assert_eq!(progress.percent, 66);
        assert!(!progress.completed);
        assert_eq!(progress.quizzes[0].best_score, Some(40));
        assert_eq!(next_item(&course, &records), Some("first-quiz"));

        records[2] = quiz("first-quiz", 80, true);
        let progress = CourseProgress::of(&course, &records);
        assert_eq!((progress.percent, progress.completed), (100, true));
        assert_eq!(next_item(&course, &records), None);
    }

    #[test]
    fn records_for_lessons_the_course_no_longer_has_count_for_nothing() {
        let course = first_steps();
        let records = vec![lesson_done("removed-lesson"), lesson_done("hello")];
        let progress = CourseProgress::of(&course, &records);
        assert_eq!(progress.lessons_done, 1);
        assert_eq!(progress.percent, 33);
    }

    #[test]
    fn requirements_not_completed_are_listed() {
        let mut course = first_steps();
        course.settings.requires = vec!["a".into(), "b".into()];
        let completed = std::collections::BTreeSet::from(["a".to_string()]);
        assert_eq!(missing_requirements(&course, &completed), vec!["b"]);
    }
}
