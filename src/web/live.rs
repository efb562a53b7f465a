//! The live class's pages: the tutor's screen (lead a lesson, ask, see the
//! bars and the hands, end) and the learner's (follow the lesson, answer,
//! raise a hand). Both work without JavaScript: plain forms, and a
//! learner's page refreshes itself every few seconds while live. With
//! JavaScript, `live.js` listens to the class's event stream (the same one
//! the API serves, signed in by cookie) and updates the page at once.
//!
//! Each form handler takes the form as [`Posted`] (signed in, CSRF
//! checked), reads it, calls one function of [`crate::service::live`]
//! (shared with the API) and redirects back.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::classes::field;
use super::errors::PageError;
use super::quiz_view::{question_views, submission_from_form};
use super::redirect::see_other;
use super::session::{SignedIn, check_csrf, page_context};
use super::{State, render_page};
use crate::course::{Answer, Question, Quiz};
use crate::service::classes as classes_service;
use crate::service::live::{self as service, Ask, Part};
use crate::service::{Message, ServiceError};
use crate::store::users::Account;

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
    /// The right choices' places once shown (always for the tutor).
    correct: Vec<i64>,
    /// "right", "wrong" or "" (not revealed, or not answered).
    outcome: &'static str,
    answered: bool,
    feedback: &'a str,
    /// Answered by tapping a choice, not with the quiz's inputs.
    one_tap: bool,
    /// A course question: what is right, in words (known to the tutor
    /// before, to learners once shown; pages show it once shown).
    right_answer: Vec<String>,
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
        correct: match &question.correct {
            Some(serde_json::Value::Array(all)) => {
                all.iter().filter_map(serde_json::Value::as_i64).collect()
            }
            one => one.iter().filter_map(serde_json::Value::as_i64).collect(),
        },
        outcome: match question.right {
            Some(true) => "right",
            Some(false) => "wrong",
            None => "",
        },
        answered: question.answer.is_some(),
        feedback: question.feedback.as_deref().unwrap_or(""),
        one_tap: question.one_tap(),
        right_answer: right_answer(question),
    }
}

/// A course question's right answer in words: the right choices' texts,
/// the gaps' words, the pairs, the items in order.
fn right_answer(question: &service::QuestionView) -> Vec<String> {
    use serde_json::Value;
    if question.course_question.is_none() {
        return Vec::new();
    }
    let words = |v: &Value| match v {
        Value::Number(n) => n
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| question.options.get(i).cloned()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    match &question.correct {
        Some(Value::Array(all)) => all.iter().filter_map(words).collect(),
        Some(one) => words(one).into_iter().collect(),
        None => Vec::new(),
    }
}

/// How many were right and not, as bars: (right %, not right %).
fn right_shares(tally: &service::TallyView) -> (u64, u64) {
    let share = |count: u64| {
        (count * 100)
            .checked_div(tally.right + tally.wrong)
            .unwrap_or(0)
    };
    (share(tally.right), share(tally.wrong))
}

/// A course question answered with the quiz's own inputs (several
/// choices, gaps, matching, order), as the quiz page shows them.
fn quiz_inputs(question: &Question) -> Quiz {
    Quiz {
        pass_mark: 100,
        max_attempts: None,
        questions: vec![question.clone()],
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
            .map(|s| (s.id, super::classes::session_title(s, user.language.code)))
            .collect();
        context.insert("sessions", &sessions);
        return render_page(&state, "live_waiting.html", &context);
    };
    // A learner opening the page has joined.
    service::join(ctx, &user.account, &class, part, &live).await?;
    let now = service::state_of(ctx, &user.account, class, part, live).await?;
    context.insert("live", &now);
    // The event this page shows everything up to: the script reloads when
    // the stream's first state is newer (something happened between this
    // page and its stream).
    context.insert("event_id", &format!("{}-{}", now.session_id, now.last_seq));
    context.insert("started_at", &now.started_at.to_rfc3339());
    context.insert("meeting_url", &now.meeting_url);
    context.insert(
        "lesson",
        &now.lesson
            .as_ref()
            .map(|l| (&l.course, &l.lesson, &l.title)),
    );
    context.insert(
        "lesson_html",
        &now.lesson
            .as_ref()
            .map(|l| super::callouts::localise_callout_labels(&l.html, user.language)),
    );
    context.insert("question", &now.question.as_ref().map(question_page));
    // The quiz page's inputs, for a question one tap does not answer.
    let form_quiz = now
        .question
        .as_ref()
        .filter(|q| !q.one_tap() && !q.revealed)
        .and_then(|q| Some((q.course_question.as_ref().map(quiz_inputs)?, &q.form_seed)));
    if let Some((quiz, seed)) = &form_quiz {
        let mut inputs = question_views(quiz, seed, None);
        for view in &mut inputs {
            // One question: no number before it.
            view.number = 0;
        }
        context.insert("quiz_inputs", &true);
        context.insert("questions", &inputs);
    }
    context.insert("hands", &now.hands_named);
    context.insert(
        "hand_up",
        &now.hands.iter().any(|h| h == &user.account.username),
    );
    context.insert("following", &now.following.unwrap_or(true));
    if let Some(tally) = &now.tally {
        context.insert("tally", tally);
        let (right, wrong) = right_shares(tally);
        context.insert("right_percent", &right);
        context.insert("wrong_percent", &wrong);
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

/// A live page's form, as every one of them arrives: from a signed-in
/// account (else to the sign-in page), for the class in the path, its
/// CSRF token checked. Who may act is the service's to say.
struct Posted {
    user: SignedIn,
    class_id: i32,
    form: Vec<(String, String)>,
}

impl Posted {
    fn field(&self, name: &str) -> &str {
        field(&self.form, name)
    }

    fn account(&self) -> &Account {
        &self.user.account
    }
}

impl FromRequest for Posted {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // In the order the handlers took them: who, which class, the form.
        let user = SignedIn::from_request(request, payload);
        let class_id = web::Path::<i32>::from_request(request, payload);
        let form = web::Form::<Vec<(String, String)>>::from_request(request, payload);
        Box::pin(async move {
            let user = user.await?;
            let class_id = class_id.await?.into_inner();
            let form = form.await?.into_inner();
            check_csrf(&user.session, field(&form, "csrf"))?;
            Ok(Posted {
                user,
                class_id,
                form,
            })
        })
    }
}

async fn start(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    let session = match posted.field("session") {
        "" => None,
        id => Some(id.parse::<i32>().map_err(|_| {
            PageError::from(ServiceError::not_found(Message::key(
                "class-error-no-session",
            )))
        })?),
    };
    service::start(
        state.service(),
        posted.account(),
        posted.class_id,
        Ok(session),
    )
    .await?;
    Ok(back(posted.class_id))
}

async fn lead(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    // One button per lesson: `course|lesson`.
    let (course, lesson) = posted.field("lesson").split_once('|').unwrap_or(("", ""));
    let shown = Ok((course.to_string(), lesson.to_string()));
    service::lead(state.service(), posted.account(), posted.class_id, shown).await?;
    Ok(back(posted.class_id))
}

/// What the tutor's ask forms send: the check, a poll, or a course
/// question as `course|quiz|question`.
fn ask_of(posted: &Posted) -> Result<Ask, ServiceError> {
    match posted.field("kind") {
        "check" => Ok(Ask::Check),
        "poll" => {
            let options: Vec<String> = posted
                .form
                .iter()
                .filter(|(n, v)| n == "option" && !v.trim().is_empty())
                .map(|(_, v)| v.clone())
                .collect();
            let correct =
                match posted.field("correct") {
                    "" => None,
                    text => Some(text.parse::<i64>().map_err(|_| {
                        ServiceError::invalid(Message::key("live-error-poll-correct"))
                    })?),
                };
            Ok(Ask::Poll {
                text: posted.field("text").to_string(),
                options,
                correct,
            })
        }
        "course" => {
            let mut parts = posted.field("question").splitn(3, '|');
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
    }
}

async fn ask(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    let asked = ask_of(&posted);
    service::ask(state.service(), posted.account(), posted.class_id, asked).await?;
    Ok(back(posted.class_id))
}

fn question_id(posted: &Posted) -> Result<i32, PageError> {
    posted
        .field("question")
        .parse()
        .map_err(|_| ServiceError::not_found(Message::key("live-error-no-question")).into())
}

async fn reveal(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    let question = question_id(&posted)?;
    service::reveal(state.service(), posted.account(), posted.class_id, question).await?;
    Ok(back(posted.class_id))
}

async fn answer(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    let question = question_id(&posted)?;
    // A tapped choice sends its place; a course question's form sends the
    // quiz page's fields, read as the quiz page reads them. Anything else
    // is refused by the service like a wrong shape from the API.
    let tapped = posted.field("answer");
    let read = |asked: Option<&Question>| match asked {
        Some(asked) if tapped.is_empty() => {
            let mut read = submission_from_form(&quiz_inputs(asked), &posted.form)
                .map_err(|e| ServiceError::invalid(Message::Words(e.0)))?;
            Ok(read
                .remove(&asked.id)
                .and_then(|a| serde_json::to_value(a).ok())
                .unwrap_or(serde_json::Value::Null))
        }
        _ => Ok(tapped
            .parse::<u64>()
            .map_or(serde_json::Value::Null, serde_json::Value::from)),
    };
    service::answer_with(
        state.service(),
        posted.account(),
        posted.class_id,
        question,
        read,
    )
    .await?;
    Ok(back(posted.class_id))
}

async fn hand(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    let up = posted.field("up") == "1";
    let whose = match posted.field("user") {
        "" => None,
        id => Some(id.parse::<i32>().map_err(|_| {
            PageError::from(ServiceError::not_found(
                Message::key("class-error-not-member").arg("id", id),
            ))
        })?),
    };
    service::hand(
        state.service(),
        posted.account(),
        posted.class_id,
        Ok((up, whose)),
    )
    .await?;
    Ok(back(posted.class_id))
}

async fn follow(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    let following = posted.field("following") == "1";
    service::follow(
        state.service(),
        posted.account(),
        posted.class_id,
        Ok(following),
    )
    .await?;
    match posted.field("then") {
        // Reading alone: to the course's page, to pick a lesson.
        slug if !following && !slug.is_empty() && state.catalog.get(slug).is_some() => {
            Ok(see_other(&format!("/courses/{slug}")))
        }
        _ => Ok(back(posted.class_id)),
    }
}

async fn end(state: State, posted: Posted) -> Result<HttpResponse, PageError> {
    service::end(state.service(), posted.account(), posted.class_id).await?;
    Ok(see_other(&format!("/classes/{}", posted.class_id)))
}
