//! The report files: the funder CSV and a learner's data (whole), and the
//! exports of every completion, every lesson's progress and the xAPI
//! statements (streamed page by page, so the server holds one page of rows
//! however many there are).

use std::future::Future;
use std::rc::Rc;

use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::stream::{self, LocalBoxStream, StreamExt};

use crate::domain::certificate_id::CertificateId;
use crate::reports::{csv, xapi};
use crate::service::Context;
use crate::store::{Store, StoreError, StoreResult};

/// Rows read from the database per page of an export.
const EXPORT_PAGE: u64 = 1000;

/// A file to download.
pub struct Download {
    pub content_type: &'static str,
    pub file_name: String,
    pub body: DownloadBody,
}

/// A streamed file's chunks. A database failure ends the stream with the
/// error (the status is sent by then: the download ends short).
pub type Chunks = LocalBoxStream<'static, Result<Vec<u8>, StoreError>>;

pub enum DownloadBody {
    Whole(Vec<u8>),
    Chunks(Chunks),
}

impl Download {
    pub fn whole(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> Download {
        Download {
            content_type,
            file_name: file_name.to_string(),
            body: DownloadBody::Whole(bytes),
        }
    }

    fn streamed(content_type: &'static str, file_name: &str, chunks: Chunks) -> Download {
        Download {
            content_type,
            file_name: file_name.to_string(),
            body: DownloadBody::Chunks(chunks),
        }
    }
}

fn day(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads rows page by page (keyset on `key`) and encodes each page into one
/// chunk: the stream holds one page at a time, however many rows there are.
fn pages<R, F, Fut, E>(fetch: F, key: fn(&R) -> i32, encode: E) -> Chunks
where
    R: 'static,
    F: Fn(i32) -> Fut + 'static,
    Fut: Future<Output = StoreResult<Vec<R>>> + 'static,
    E: Fn(&R, &mut Vec<u8>) + 'static,
{
    let fetch = Rc::new(fetch);
    let encode = Rc::new(encode);
    stream::unfold(Some(0), move |cursor| {
        let fetch = fetch.clone();
        let encode = encode.clone();
        async move {
            let after = cursor?;
            match fetch(after).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let mut chunk = Vec::with_capacity(rows.len() * 96);
                    for row in &rows {
                        encode(row, &mut chunk);
                    }
                    let next = rows.last().map(key);
                    Some((Ok(chunk), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    })
    .boxed_local()
}

pub const COMPLETIONS_HEADER: [&str; 7] = [
    "username",
    "full_name",
    "course_slug",
    "sector",
    "enrolled_at",
    "completed_at",
    "certificate_id",
];

pub(super) fn completions(store: &Store) -> Download {
    let store = store.clone();
    let header = stream::once(async { Ok(csv::header(COMPLETIONS_HEADER)) });
    let rows = pages(
        move |after| {
            let store = store.clone();
            async move { store.completions_page(after, EXPORT_PAGE).await }
        },
        |row| row.enrolment_id,
        |row, out| {
            let certificate = row.certificate_id.as_deref().map(|id| {
                CertificateId::parse(id).map_or_else(|_| id.to_string(), |id| id.to_string())
            });
            out.extend(csv::record([
                row.username.as_str(),
                row.full_name.as_str(),
                row.course_slug.as_str(),
                row.sector.as_str(),
                &day(row.enrolled_at),
                &day(row.completed_at),
                certificate.as_deref().unwrap_or(""),
            ]));
        },
    );
    Download::streamed(
        "text/csv; charset=utf-8",
        "completions.csv",
        header.chain(rows).boxed_local(),
    )
}

pub const PROGRESS_HEADER: [&str; 10] = [
    "username",
    "full_name",
    "course_slug",
    "lesson_id",
    "kind",
    "completed_at",
    "best_score",
    "passed",
    "attempts",
    "updated_at",
];

pub(super) fn progress(store: &Store) -> Download {
    let store = store.clone();
    let header = stream::once(async { Ok(csv::header(PROGRESS_HEADER)) });
    let rows = pages(
        move |after| {
            let store = store.clone();
            async move { store.progress_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        |row, out| {
            out.extend(csv::record([
                row.username.as_str(),
                row.full_name.as_str(),
                row.course_slug.as_str(),
                row.lesson_id.as_str(),
                row.kind.as_str(),
                &row.completed_at.map(day).unwrap_or_default(),
                &row.best_score.map(|s| s.to_string()).unwrap_or_default(),
                if row.passed { "true" } else { "false" },
                &row.attempts.to_string(),
                &day(row.updated_at),
            ]));
        },
    );
    Download::streamed(
        "text/csv; charset=utf-8",
        "progress.csv",
        header.chain(rows).boxed_local(),
    )
}

/// Statements: enrolments (attempted, completed), lessons done
/// (completed), quiz attempts (passed or failed).
pub(super) fn xapi(ctx: Context<'_>) -> Download {
    let public_url: Rc<str> = Rc::from(ctx.settings.public_url());
    let catalog = ctx.catalog.snapshot();
    let course_title = {
        let catalog = catalog.clone();
        move |slug: &str| -> String {
            catalog
                .get(slug)
                .map_or_else(|| slug.to_string(), |c| c.course.settings.title.clone())
        }
    };
    let lesson_title = {
        let catalog = catalog.clone();
        move |slug: &str, lesson: &str| -> String {
            catalog
                .get(slug)
                .and_then(|c| c.course.lesson(lesson).map(|l| l.title.clone()))
                .unwrap_or_else(|| lesson.to_string())
        }
    };

    let store = ctx.store.clone();
    let url = public_url.clone();
    let title = course_title.clone();
    let enrolments = pages(
        move |after| {
            let store = store.clone();
            async move { store.enrolments_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        move |row, out| {
            let name = title(&row.course_slug);
            let activity = || xapi::Activity {
                course_slug: &row.course_slug,
                lesson_id: None,
                name: &name,
            };
            let attempted = format!("enrolment:{}:attempted", row.id);
            out.extend(xapi::line(
                &url,
                &xapi::Statement {
                    source: &attempted,
                    username: &row.username,
                    verb: xapi::Verb::Attempted,
                    activity: activity(),
                    score: None,
                    timestamp: row.enrolled_at,
                },
            ));
            if let Some(at) = row.completed_at {
                let completed = format!("enrolment:{}:completed", row.id);
                out.extend(xapi::line(
                    &url,
                    &xapi::Statement {
                        source: &completed,
                        username: &row.username,
                        verb: xapi::Verb::Completed,
                        activity: activity(),
                        score: None,
                        timestamp: at,
                    },
                ));
            }
        },
    );

    let store = ctx.store.clone();
    let url = public_url.clone();
    let title = lesson_title.clone();
    let lessons = pages(
        move |after| {
            let store = store.clone();
            async move { store.progress_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        move |row, out| {
            // Quizzes are told by their attempts; a lesson by being done.
            let (Some(at), "lesson") = (row.completed_at, row.kind.as_str()) else {
                return;
            };
            let name = title(&row.course_slug, &row.lesson_id);
            let source = format!("progress:{}:completed", row.id);
            out.extend(xapi::line(
                &url,
                &xapi::Statement {
                    source: &source,
                    username: &row.username,
                    verb: xapi::Verb::Completed,
                    activity: xapi::Activity {
                        course_slug: &row.course_slug,
                        lesson_id: Some(&row.lesson_id),
                        name: &name,
                    },
                    score: None,
                    timestamp: at,
                },
            ));
        },
    );

    let store = ctx.store.clone();
    let url = public_url;
    let title = lesson_title;
    let attempts = pages(
        move |after| {
            let store = store.clone();
            async move { store.attempts_page(after, EXPORT_PAGE).await }
        },
        |row| row.id,
        move |row, out| {
            let name = title(&row.course_slug, &row.lesson_id);
            let source = format!("attempt:{}", row.id);
            out.extend(xapi::line(
                &url,
                &xapi::Statement {
                    source: &source,
                    username: &row.username,
                    verb: if row.passed {
                        xapi::Verb::Passed
                    } else {
                        xapi::Verb::Failed
                    },
                    activity: xapi::Activity {
                        course_slug: &row.course_slug,
                        lesson_id: Some(&row.lesson_id),
                        name: &name,
                    },
                    score: Some(xapi::Score {
                        percent: row.score,
                        passed: row.passed,
                    }),
                    timestamp: row.submitted_at,
                },
            ));
        },
    );
    Download::streamed(
        "application/x-ndjson",
        "xapi-statements.jsonl",
        enrolments.chain(lessons).chain(attempts).boxed_local(),
    )
}
