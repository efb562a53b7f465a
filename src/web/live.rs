//! The live class's pages: the tutor's screen (lead a lesson, ask, see the
//! bars and the hands, end) and the learner's (follow the lesson, answer,
//! raise a hand). Both work without JavaScript: plain forms, and a
//! learner's page refreshes itself every few seconds while live. With
//! JavaScript, `live.js` listens to the class's event stream (the same one
//! the API serves, signed in by cookie) and updates the page at once.
//!
//! Each handler reads its form, calls one function of
//! [`crate::service::live`] (shared with the API) and redirects back.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::classes::field;
use super::errors::PageError;
use super::redirect::see_other;
use super::session::{SignedIn, check_csrf, page_context};
use super::{State, render_page};
use crate::course::Answer;
use crate::service::classes as classes_service;
use crate::service::live::{self as service, Ask, Part};
use crate::service::{Message, ServiceError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/classes/{id}/live", web::get().to(live_page))
        .route("/classes/{id}/live/events", web::get().to(events))
        .route("/classes/{id}/live/start", web::post().to(start))
        .route("/classes/{id}/live/lesson", web::post().to(lead))
        .route("/classes/{id}/live/ask", web::post().to(ask))
        .route("/classes/{id}/live/reveal", web::post().to(reveal))
        .route("/classes/{id}/live/answer", web::post().to(answer))
        .route("/classes/{id}/live/hand", web::post().to(hand))
        .route("/classes/{id}/live/follow", web::post().to(follow))
        .route("/classes/{id}/live/end", web::post().to(end));
}

fn back(class_id: i32) -> HttpResponse {
    see_other(&format!("/classes/{class_id}/live"))
}

/// A lesson the tutor can lead to.
#[derive(Serialize)]
struct LessonChoice {
    course: String,
    course_title: String,
    lesson: String,
    title: String,
    current: bool,
}

/// A quiz question the tutor can ask: `course|quiz|question`.
#[derive(Serialize)]
struct QuestionChoice {
    value: String,
    label: String,
}

/// The question as the pages show it: no missing fields for Tera.
#[derive(Serialize)]
struct QuestionPage<'a> {
    id: i32,
    kind: &'a str,
    text: &'a str,
    options: &'a [String],
    revealed: bool,
    /// The learner's choice, or -1.
    chosen: i64,
    /// The right choice once shown (always for the tutor), or -1.
    correct: i64,
    /// "right", "wrong" or "" (not revealed, or not answered).
    outcome: &'static str,
    answered: bool,
    feedback: &'a str,
}

fn question_page(question: &service::QuestionView) -> QuestionPage<'_> {
    let index = |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_i64).unwrap_or(-1);
    QuestionPage {
        id: question.id,
        kind: &question.kind,
        text: &question.text,
        options: &question.options,
        revealed: question.revealed,
        chosen: index(question.answer.as_ref()),
        correct: index(question.correct.as_ref()),
        outcome: match question.right {
            Some(true) => "right",
            Some(false) => "wrong",
            None => "",
        },
        answered: question.answer.is_some(),
        feedback: question.feedback.as_deref().unwrap_or(""),
    }
}

/// The live class: the tutor's screen or the learner's. Not live: the
/// tutor is offered to start it; others are told it is not live yet.
async fn live_page(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let class_id = path.into_inner();
    let ctx = state.service();
    let (class, part) = service::access(ctx, &user.account, class_id).await?;
    let mut context = page_context(user.language, Some(&user.account), &user.session);
    context.insert("class_id", &class.id);
    context.insert("class_name", &class.name);
    context.insert("part", &part);
    let Some(live) = service::is_live(ctx, class.id).await? else {
        let page = classes_service::page(ctx, &user.account, class.id).await?;
        let sessions: Vec<_> = page
            .sessions
            .iter()
            .filter(|s| s.ends_at() > chrono::Utc::now())
            .map(|s| (s.id, s.title.clone()))
            .collect();
        context.insert("sessions", &sessions);
        return render_page(&state, "live_waiting.html", &context);
    };
    // A learner opening the page has joined.
    service::join(ctx, &user.account, &class, part, &live).await?;
    let now = service::state_of(ctx, &user.account, class, part, live).await?;
    context.insert("live", &now);
    context.insert("started_at", &now.started_at.to_rfc3339());
    context.insert("meeting_url", &now.meeting_url);
    context.insert(
        "lesson",
        &now.lesson
            .as_ref()
            .map(|l| (&l.course, &l.lesson, &l.title)),
    );
    context.insert("lesson_html", &now.lesson.as_ref().map(|l| l.html.as_str()));
    context.insert("question", &now.question.as_ref().map(question_page));
    context.insert(
        "choice_question",
        &now.question
            .as_ref()
            .is_some_and(|q| q.course_question.is_none()),
    );
    context.insert("hands", &now.hands_named);
    context.insert(
        "hand_up",
        &now.hands.iter().any(|h| h == &user.account.username),
    );
    context.insert("following", &now.following.unwrap_or(true));
    if let Some(tally) = &now.tally {
        context.insert("tally", tally);
    }
    if part == Part::Learner {
        return render_page(&state, "live_learner.html", &context);
    }
    context.insert("learners", &now.learners);
    let mut lessons = Vec::new();
    let mut questions = Vec::new();
    for slug in &now.class.courses {
        let Some(published) = state.catalog.get(slug) else {
            continue;
        };
        let course = &published.course;
        for lesson in course.lessons() {
            lessons.push(LessonChoice {
                course: slug.clone(),
                course_title: course.settings.title.clone(),
                lesson: lesson.id.clone(),
                title: lesson.title.clone(),
                current: now
                    .lesson
                    .as_ref()
                    .is_some_and(|l| &l.course == slug && l.lesson == lesson.id),
            });
            if let Some(quiz) = &lesson.quiz {
                for question in &quiz.questions {
                    let kind = if matches!(question.answer, Answer::Choice { .. }) {
                        ""
                    } else {
                        " ✎"
                    };
                    questions.push(QuestionChoice {
                        value: format!("{slug}|{}|{}", lesson.id, question.id),
                        label: format!("{} — {}{kind}", lesson.title, question.text.text),
                    });
                }
            }
        }
    }
    context.insert("lessons", &lessons);
    context.insert("questions", &questions);
    render_page(&state, "live_tutor.html", &context)
}

/// The event stream for the page's script (signed in by cookie).
async fn events(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    request: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let last = request
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok());
    Ok(super::live_stream::open(state.clone(), user.account, path.into_inner(), last).await?)
}

async fn start(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    let session = match field(&form, "session") {
        "" => None,
        id => Some(id.parse::<i32>().map_err(|_| {
            PageError::from(ServiceError::not_found(Message::key(
                "class-error-no-session",
            )))
        })?),
    };
    service::start(state.service(), &user.account, class_id, Ok(session)).await?;
    Ok(back(class_id))
}

async fn lead(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    // One button per lesson: `course|lesson`.
    let (course, lesson) = field(&form, "lesson").split_once('|').unwrap_or(("", ""));
    let shown = Ok((course.to_string(), lesson.to_string()));
    service::lead(state.service(), &user.account, class_id, shown).await?;
    Ok(back(class_id))
}

async fn ask(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    let asked = match field(&form, "kind") {
        "check" => Ok(Ask::Check),
        "poll" => {
            let options: Vec<String> = form
                .iter()
                .filter(|(n, v)| n == "option" && !v.trim().is_empty())
                .map(|(_, v)| v.clone())
                .collect();
            let correct = match field(&form, "correct") {
                "" => Ok(None),
                text => text
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| ServiceError::invalid(Message::key("live-error-poll-correct"))),
            };
            correct.map(|correct| Ask::Poll {
                text: field(&form, "text").to_string(),
                options,
                correct,
            })
        }
        "course" => {
            let mut parts = field(&form, "question").splitn(3, '|');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(course), Some(quiz), Some(question)) => Ok(Ask::Course {
                    course: course.to_string(),
                    quiz: quiz.to_string(),
                    question: question.to_string(),
                }),
                _ => Err(ServiceError::invalid(Message::key("live-error-ask-shape"))),
            }
        }
        _ => Err(ServiceError::invalid(Message::key("live-error-ask-shape"))),
    };
    service::ask(state.service(), &user.account, class_id, asked).await?;
    Ok(back(class_id))
}

fn question_id(form: &[(String, String)]) -> Result<i32, PageError> {
    field(form, "question")
        .parse()
        .map_err(|_| ServiceError::not_found(Message::key("live-error-no-question")).into())
}

async fn reveal(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    service::reveal(
        state.service(),
        &user.account,
        class_id,
        question_id(&form)?,
    )
    .await?;
    Ok(back(class_id))
}

async fn answer(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    let question = question_id(&form)?;
    // The choice's place, as the buttons send it; anything else is
    // refused by the service like a wrong shape from the API.
    let answer = field(&form, "answer")
        .parse::<u64>()
        .map_or(serde_json::Value::Null, serde_json::Value::from);
    service::answer(
        state.service(),
        &user.account,
        class_id,
        question,
        Ok(answer),
    )
    .await?;
    Ok(back(class_id))
}

async fn hand(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    let up = field(&form, "up") == "1";
    let whose = match field(&form, "user") {
        "" => None,
        id => Some(id.parse::<i32>().map_err(|_| {
            PageError::from(ServiceError::not_found(
                Message::key("class-error-not-member").arg("id", id),
            ))
        })?),
    };
    service::hand(state.service(), &user.account, class_id, Ok((up, whose))).await?;
    Ok(back(class_id))
}

async fn follow(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    let following = field(&form, "following") == "1";
    service::follow(state.service(), &user.account, class_id, Ok(following)).await?;
    match field(&form, "then") {
        // Reading alone: to the course's page, to pick a lesson.
        slug if !following && !slug.is_empty() && state.catalog.get(slug).is_some() => {
            Ok(see_other(&format!("/courses/{slug}")))
        }
        _ => Ok(back(class_id)),
    }
}

async fn end(
    state: State,
    user: SignedIn,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&user.session, field(&form, "csrf"))?;
    let class_id = path.into_inner();
    service::end(state.service(), &user.account, class_id).await?;
    Ok(see_other(&format!("/classes/{class_id}")))
}
