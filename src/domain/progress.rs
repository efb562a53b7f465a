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
