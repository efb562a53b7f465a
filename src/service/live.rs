//! Live classes: a tutor teaches a class in Presto while the voice call
//! runs elsewhere. The tutor leads through lessons, asks questions and ends
//! the class; learners follow, answer, raise a hand; coordinators and
//! admins may watch. The register fills itself as learners join.
//!
//! Who may is decided first, before whether the class is live or what was
//! sent: anyone who is neither in the class nor its tutor (nor a
//! coordinator or admin, who observe) is refused.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::question_form::{QuestionForm, question_form};
use super::{Context, Message, ServiceError, ServiceResult};
use crate::course::{Answer, Question, QuestionKind, Quiz};
use crate::domain::class::Attendance;
use crate::domain::grading::{self, GradedQuestion, SubmittedAnswer};
use crate::domain::names::Role;
use crate::store::classes::Class;
use crate::store::live::{
    Answered, LiveAnswer, LiveClass, LiveQuestion, LiveSession, NewLiveQuestion, Tally,
};
use crate::store::users::Account;

/// How someone takes part in a live class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The class's tutor: leads.
    Tutor,
    /// One of the class's learners.
    Learner,
    /// A coordinator or admin: may watch.
    Observer,
}

impl Part {
    pub fn is_staff(self) -> bool {
        self != Part::Learner
    }
}

/// The one-tap check's choices.
pub const CHECK_CHOICES: [&str; 3] = ["I understand", "Not sure", "Lost"];
/// A quick poll has this many choices at least and at most.
pub const POLL_CHOICES: std::ops::RangeInclusive<usize> = 2..=6;
pub const MAX_POLL_TEXT: usize = 500;
pub const MAX_CHOICE_TEXT: usize = 200;
/// An unscheduled live class's session is planned for this long.
const UNSCHEDULED_MINUTES: i32 = 60;

fn not_live() -> ServiceError {
    ServiceError::not_found(Message::key("live-error-not-live"))
}

fn tutor_only() -> ServiceError {
    ServiceError::forbidden(Message::key("live-error-tutor-only"))
}

fn learners_only() -> ServiceError {
    ServiceError::forbidden(Message::key("live-error-learners-only"))
}

fn no_question() -> ServiceError {
    ServiceError::not_found(Message::key("live-error-no-question"))
}

fn not_open() -> ServiceError {
    ServiceError::conflict(Message::key("live-error-not-open"))
}

/// The class and how `account` takes part in it, or 403.
pub async fn access(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
) -> ServiceResult<(Class, Part)> {
    let class = ctx
        .store
        .class(class_id)
        .await?
        .ok_or_else(super::classes::no_class)?;
    let part = if class.tutor_id == account.id {
        Part::Tutor
    } else if account.role == Role::Learner {
        if ctx.store.is_class_member(class.id, account.id).await? {
            Part::Learner
        } else {
            return Err(ServiceError::forbidden(Message::key(
                "live-error-not-in-class",
            )));
        }
    } else if matches!(account.role, Role::Coordinator | Role::Admin) {
        Part::Observer
    } else {
        return Err(ServiceError::forbidden(Message::key(
            "live-error-not-in-class",
        )));
    };
    Ok((class, part))
}

async fn live_of(ctx: Context<'_>, class: &Class) -> ServiceResult<LiveClass> {
    ctx.store.live_class(class.id).await?.ok_or_else(not_live)
}

/// The class if `account` is its tutor, with its live class.
async fn led(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
) -> ServiceResult<(Class, LiveClass)> {
    let (class, part) = access(ctx, account, class_id).await?;
    if part != Part::Tutor {
        return Err(tutor_only());
    }
    let live = live_of(ctx, &class).await?;
    Ok((class, live))
}

/// A live class as it started.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Started {
    pub session_id: i32,
    pub started_at: DateTime<Utc>,
    /// False when the class was live already.
    #[serde(skip)]
    pub new: bool,
}

/// Makes the class live, in a scheduled session of it or in a new one
/// starting now. Already live: the live class as it is.
///
/// Here and below, input comes as read (or why it could not be read): it
/// is looked at only once `account` is known to be allowed.
pub async fn start(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session: ServiceResult<Option<i32>>,
) -> ServiceResult<Started> {
    let (class, part) = access(ctx, account, class_id).await?;
    if part != Part::Tutor {
        return Err(tutor_only());
    }
    let session = session?;
    let source = match session {
        Some(id) => {
            let scheduled = ctx
                .store
                .session(id)
                .await?
                .filter(|s| s.class_id == class.id)
                .ok_or_else(|| ServiceError::not_found(Message::key("class-error-no-session")))?;
            LiveSession::Scheduled(scheduled.id)
        }
        // No title: pages call it a live class in the viewer's language
        // (see `SessionInfo::untitled`).
        None => LiveSession::Unscheduled {
            title: "",
            duration_minutes: UNSCHEDULED_MINUTES,
        },
    };
    let (live, new) = ctx.store.start_live(class.id, source, Utc::now()).await?;
    Ok(Started {
        session_id: live.session_id,
        started_at: live.started_at,
        new,
    })
}

/// The lesson the tutor shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownLesson {
    pub course: String,
    pub lesson: String,
    #[serde(skip)]
    pub title: String,
    #[serde(skip)]
    pub html: String,
}

/// The open (or last) question as one viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionView {
    pub id: i32,
    /// poll, check (its words are translated on pages) or course.
    #[serde(skip)]
    pub kind: String,
    pub text: String,
    pub options: Vec<String>,
    pub revealed: bool,
    /// What is right, once revealed (for everyone), or always for staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
    /// A learner's own answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Value>,
    /// Whether the learner's answer was right, once revealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<bool>,
    /// A question of the class's courses: how to answer it, as the quiz
    /// API gives it (choice ids, gaps, pairs to match, items to order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiz: Option<QuestionForm>,
    /// The compiled course question, for pages to show the quiz's inputs.
    #[serde(skip)]
    pub course_question: Option<Question>,
    /// What shuffles its pairs and items on a page (the quiz page's seed).
    #[serde(skip)]
    pub form_seed: String,
}

impl QuestionView {
    /// Whether one tap answers it (a poll, the check, a course question
    /// with one right choice), not a form of the quiz's own inputs.
    pub fn one_tap(&self) -> bool {
        self.course_question
            .as_ref()
            .is_none_or(|q| matches!(q.kind(), QuestionKind::Single | QuestionKind::TrueFalse))
    }
}

/// The answers so far, as the tutor sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TallyView {
    pub question_id: i32,
    pub answered: usize,
    pub total: u64,
    pub options: Vec<OptionCount>,
    /// For questions without choices: how many were right and wrong.
    pub right: u64,
    pub wrong: u64,
    /// The learners who have not answered yet, by username.
    pub waiting: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCount {
    pub text: String,
    pub count: u64,
    /// The count as a share of those who answered, 0 to 100.
    pub percent: u64,
}

/// A learner as the tutor sees them in a live class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveLearner {
    pub user_id: i32,
    pub username: String,
    pub full_name: String,
    pub joined_at: Option<DateTime<Utc>>,
    /// Some while joined: following the tutor or reading alone.
    pub following: Option<bool>,
    pub status: Option<Attendance>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandView {
    pub user_id: i32,
    pub username: String,
    pub full_name: String,
}

/// The whole state of a live class, as one viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveState {
    pub session_id: i32,
    pub started_at: DateTime<Utc>,
    pub lesson: Option<ShownLesson>,
    pub question: Option<QuestionView>,
    /// Usernames, in the order the hands went up.
    pub hands: Vec<String>,
    #[serde(skip)]
    pub part: Part,
    #[serde(skip)]
    pub class: Class,
    #[serde(skip)]
    pub meeting_url: String,
    /// The event this state includes, for a stream to go on from.
    #[serde(skip)]
    pub last_seq: i64,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tally: Option<TallyView>,
    /// Staff only: every learner of the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learners: Option<Vec<LiveLearner>>,
    #[serde(skip)]
    pub hands_named: Vec<HandView>,
    /// A learner: whether they follow the tutor (None before joining).
    #[serde(skip)]
    pub following: Option<bool>,
}

/// The live class now, for `account`. 404 when the class is not live.
pub async fn state(ctx: Context<'_>, account: &Account, class_id: i32) -> ServiceResult<LiveState> {
    let (class, part) = access(ctx, account, class_id).await?;
    let live = live_of(ctx, &class).await?;
    state_of(ctx, account, class, part, live).await
}

pub(crate) async fn state_of(
    ctx: Context<'_>,
    account: &Account,
    class: Class,
    part: Part,
    live: LiveClass,
) -> ServiceResult<LiveState> {
    let lesson = match (&live.course_slug, &live.lesson_id) {
        (Some(course), Some(lesson)) => {
            let found = ctx.catalog.get(course).and_then(|c| {
                c.course
                    .lesson(lesson)
                    .map(|l| (l.title.clone(), l.html.clone()))
            });
            let (title, html) = found.unwrap_or_else(|| (lesson.clone(), String::new()));
            Some(ShownLesson {
                course: course.clone(),
                lesson: lesson.clone(),
                title,
                html,
            })
        }
        _ => None,
    };
    let members = ctx.store.class_members(class.id).await?;
    let mut question = None;
    let mut tally = None;
    if let Some(id) = live.question_id
        && let Some(asked) = ctx.store.live_question(id).await?
    {
        let course_question = course_question_of(ctx, &asked);
        let (correct, feedback) = correct_of(&asked, course_question.as_ref());
        let mut view = QuestionView {
            id: asked.id,
            kind: asked.kind.clone(),
            text: asked.text.clone(),
            options: asked.choices(),
            revealed: asked.revealed,
            correct: None,
            feedback: None,
            answer: None,
            right: None,
            quiz: course_question
                .as_ref()
                .map(|q| question_form(q, &format!("{}/{}", form_seed(&asked), q.id))),
            form_seed: form_seed(&asked),
            course_question,
        };
        if asked.revealed || part.is_staff() {
            view.correct = Some(correct);
            view.feedback = feedback;
        }
        if part == Part::Learner {
            if asked.revealed {
                // The class sees the bars once the answer is shown (not who
                // has not answered).
                let counted = ctx.store.live_tally(&asked).await?;
                let mut shown = tally_view(&asked, &counted, &members);
                shown.waiting.clear();
                tally = Some(shown);
            }
            if let Some((answer, right)) =
                ctx.store.live_answers(asked.id).await?.remove(&account.id)
            {
                if asked.revealed {
                    view.right = right;
                    // Their choices' own feedback, then the question's.
                    if let Some(question) = &view.course_question {
                        view.feedback = feedback_earned(question, &answer);
                    }
                }
                view.answer = Some(answer);
            }
        } else {
            let counted = ctx.store.live_tally(&asked).await?;
            tally = Some(tally_view(&asked, &counted, &members));
        }
        question = Some(view);
    }
    let hands = ctx.store.live_hands(class.id).await?;
    let names: HashMap<i32, &Account> = members.iter().map(|m| (m.id, m)).collect();
    let hands_named: Vec<HandView> = hands
        .iter()
        .map(|h| HandView {
            user_id: h.user_id,
            username: h.username.clone(),
            full_name: names
                .get(&h.user_id)
                .map_or_else(|| h.username.clone(), |m| m.full_name.clone()),
        })
        .collect();
    let joined: HashMap<i32, _> = ctx
        .store
        .live_attendees(live.session_id)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a))
        .collect();
    let following = joined.get(&account.id).map(|a| a.following);
    let learners = if part.is_staff() {
        let marks = ctx.store.attendance(live.session_id).await?;
        Some(
            members
                .iter()
                .map(|m| LiveLearner {
                    user_id: m.id,
                    username: m.username.clone(),
                    full_name: m.full_name.clone(),
                    joined_at: joined.get(&m.id).map(|a| a.joined_at),
                    following: joined.get(&m.id).map(|a| a.following),
                    status: marks.get(&m.id).copied(),
                })
                .collect(),
        )
    } else {
        None
    };
    let session = ctx.store.session(live.session_id).await?;
    Ok(LiveState {
        session_id: live.session_id,
        started_at: live.started_at,
        lesson,
        question,
        hands: hands.into_iter().map(|h| h.username).collect(),
        part,
        meeting_url: session.map(|s| s.meeting_url).unwrap_or_default(),
        class,
        last_seq: live.last_seq,
        tally,
        learners,
        hands_named,
        following,
    })
}

fn tally_view(question: &LiveQuestion, tally: &Tally, members: &[Account]) -> TallyView {
    let answered = tally.answered.len();
    let options = question
        .choices()
        .into_iter()
        .zip(&tally.counts)
        .map(|(text, &count)| OptionCount {
            text,
            count,
            percent: if answered == 0 {
                0
            } else {
                count * 100 / answered as u64
            },
        })
        .collect();
    TallyView {
        question_id: question.id,
        answered,
        total: members.len() as u64,
        options,
        right: tally.right,
        wrong: tally.wrong,
        waiting: members
            .iter()
            .filter(|m| !tally.answered.contains(&m.id))
            .map(|m| m.username.clone())
            .collect(),
    }
}

/// What shuffles a course question's pairs and items, the same for the
/// whole class on pages, in the state and in the `question` event: this,
/// then `/` and the question's id (as the quiz page's form adds it).
fn form_seed(asked: &LiveQuestion) -> String {
    seed_of(
        asked.course_slug.as_deref().unwrap_or_default(),
        asked.quiz_id.as_deref().unwrap_or_default(),
    )
}

fn seed_of(course: &str, quiz: &str) -> String {
    format!("live/{course}/{quiz}")
}

/// The compiled question a course question was asked from, while its
/// course is published.
fn course_question_of(ctx: Context<'_>, asked: &LiveQuestion) -> Option<Question> {
    let (course, quiz, id) = (
        asked.course_slug.as_deref()?,
        asked.quiz_id.as_deref()?,
        asked.question_ref.as_deref()?,
    );
    let published = ctx.catalog.get(course)?;
    let lesson = published.course.lesson(quiz)?;
    lesson
        .quiz
        .as_ref()?
        .questions
        .iter()
        .find(|q| q.id == id)
        .cloned()
}

/// What the class is told is right, and the question's feedback.
fn correct_of(asked: &LiveQuestion, course: Option<&Question>) -> (Value, Option<String>) {
    match course {
        Some(question) => {
            let correct = match &question.answer {
                Answer::Choice { options } => {
                    let right: Vec<usize> = options
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.correct)
                        .map(|(i, _)| i)
                        .collect();
                    match right.as_slice() {
                        [one] => json!(one),
                        many => json!(many),
                    }
                }
                Answer::Gap { segments } => json!(
                    segments
                        .iter()
                        .filter_map(|s| match s {
                            crate::course::GapSegment::Gap(accepted) => accepted.first().cloned(),
                            crate::course::GapSegment::Html(_) => None,
                        })
                        .collect::<Vec<_>>()
                ),
                Answer::Match { pairs } => json!(
                    pairs
                        .iter()
                        .map(|p| format!("{} — {}", p.left.text, p.right.text))
                        .collect::<Vec<_>>()
                ),
                Answer::Order { items } => {
                    json!(items.iter().map(|i| i.text.clone()).collect::<Vec<_>>())
                }
                Answer::Number { shown, .. } => json!([shown]),
            };
            (
                correct,
                question.explanation.as_ref().map(|e| e.text.clone()),
            )
        }
        None => (json!(asked.correct), None),
    }
}

/// The tutor shows a lesson of the class's courses to everyone following.
pub async fn lead(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    shown: ServiceResult<(String, String)>,
) -> ServiceResult<()> {
    let (class, _) = led(ctx, account, class_id).await?;
    let (course, lesson) = shown?;
    let (course, lesson) = (course.as_str(), lesson.as_str());
    if !class.courses.iter().any(|c| c == course) {
        return Err(ServiceError::not_found(
            Message::key("live-error-not-class-course").arg("slug", course),
        ));
    }
    let published = super::learning::course(ctx.catalog, course)?;
    if published.course.lesson(lesson).is_none() {
        return Err(ServiceError::not_found(
            Message::key("learning-no-lesson")
                .arg("id", lesson)
                .arg("slug", course),
        ));
    }
    ctx.store
        .set_live_lesson(class.id, course, lesson)
        .await?
        .ok_or_else(not_live)
}

/// What the tutor asks.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// A quick poll typed on the spot.
    Poll {
        text: String,
        options: Vec<String>,
        correct: Option<i64>,
    },
    /// "I understand / Not sure / Lost".
    Check,
    /// A question of one of the class's courses.
    Course {
        course: String,
        quiz: String,
        question: String,
    },
}

fn checked_poll(
    text: &str,
    options: &[String],
    correct: Option<i64>,
) -> ServiceResult<Option<i32>> {
    let mut problems = Vec::new();
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_POLL_TEXT {
        problems.push(Message::key("live-error-poll-text").arg("max", MAX_POLL_TEXT));
    }
    if !POLL_CHOICES.contains(&options.len()) {
        problems.push(
            Message::key("live-error-poll-options")
                .arg("min", *POLL_CHOICES.start())
                .arg("max", *POLL_CHOICES.end()),
        );
    }
    if options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().count() > MAX_CHOICE_TEXT)
    {
        problems.push(Message::key("live-error-poll-choice").arg("max", MAX_CHOICE_TEXT));
    }
    let correct = match correct {
        None => None,
        Some(i) => match usize::try_from(i) {
            Ok(index) if index < options.len() => i32::try_from(i).ok(),
            _ => {
                problems.push(Message::key("live-error-poll-correct"));
                None
            }
        },
    };
    if problems.is_empty() {
        Ok(correct)
    } else {
        Err(ServiceError::Invalid(problems))
    }
}

/// Puts a question to the class; it replaces the open one. Its id.
/// `ask` is the input as read, or why it could not be: it is looked at
/// only once `account` is known to lead the class.
pub async fn ask(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    ask: ServiceResult<Ask>,
) -> ServiceResult<i32> {
    let (class, _) = led(ctx, account, class_id).await?;
    let ask = ask?;
    let now = Utc::now();
    let asked = match &ask {
        Ask::Poll {
            text,
            options,
            correct,
        } => {
            let correct = checked_poll(text, options, *correct)?;
            let options: Vec<String> = options.iter().map(|o| o.trim().to_string()).collect();
            ctx.store
                .ask_live(
                    class.id,
                    NewLiveQuestion {
                        kind: "poll",
                        text: text.trim(),
                        options: &options,
                        correct,
                        source: None,
                        quiz: None,
                    },
                    now,
                )
                .await?
        }
        Ask::Check => {
            let options: Vec<String> = CHECK_CHOICES.iter().map(|c| c.to_string()).collect();
            ctx.store
                .ask_live(
                    class.id,
                    NewLiveQuestion {
                        kind: "check",
                        text: "How are you getting on?",
                        options: &options,
                        correct: None,
                        source: None,
                        quiz: None,
                    },
                    now,
                )
                .await?
        }
        Ask::Course {
            course,
            quiz,
            question,
        } => {
            if !class.courses.iter().any(|c| c == course) {
                return Err(ServiceError::not_found(
                    Message::key("live-error-not-class-course").arg("slug", course.as_str()),
                ));
            }
            let published = super::learning::course(ctx.catalog, course)?;
            let found = published
                .course
                .lesson(quiz)
                .and_then(|l| l.quiz.as_ref())
                .and_then(|q| q.questions.iter().find(|x| &x.id == question))
                .ok_or_else(|| {
                    ServiceError::not_found(
                        Message::key("live-error-no-course-question")
                            .arg("question", question.as_str())
                            .arg("quiz", quiz.as_str()),
                    )
                })?;
            let options: Vec<String> = match &found.answer {
                Answer::Choice { options } => options.iter().map(|o| o.text.text.clone()).collect(),
                _ => Vec::new(),
            };
            let form = question_form(found, &format!("{}/{question}", seed_of(course, quiz)));
            ctx.store
                .ask_live(
                    class.id,
                    NewLiveQuestion {
                        kind: "course",
                        text: &found.text.text,
                        options: &options,
                        correct: None,
                        source: Some((course, quiz, question)),
                        quiz: serde_json::to_value(&form).ok(),
                    },
                    now,
                )
                .await?
        }
    };
    asked.ok_or_else(not_live)
}

/// A question asked in this class (in any of its sessions), or 404.
async fn question_of(
    ctx: Context<'_>,
    class: &Class,
    question_id: i32,
) -> ServiceResult<LiveQuestion> {
    let question = ctx
        .store
        .live_question(question_id)
        .await?
        .ok_or_else(no_question)?;
    let session = ctx.store.session(question.session_id).await?;
    if session.is_none_or(|s| s.class_id != class.id) {
        return Err(no_question());
    }
    Ok(question)
}

/// The class if `account` is one of its learners.
async fn learner_in(ctx: Context<'_>, account: &Account, class_id: i32) -> ServiceResult<Class> {
    let (class, part) = access(ctx, account, class_id).await?;
    if part != Part::Learner {
        return Err(learners_only());
    }
    Ok(class)
}

/// A learner answers the open question. True for a first answer, false
/// when it replaced their earlier one.
pub async fn answer(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    question_id: i32,
    answer: ServiceResult<Value>,
) -> ServiceResult<bool> {
    let class = learner_in(ctx, account, class_id).await?;
    let answer = answer?;
    answer_open(ctx, account, &class, question_id, |_| Ok(answer)).await
}

/// As [`answer`], for input that can only be read knowing the question (a
/// page's form of the quiz's inputs): `read` is given the course question
/// asked, if it is one, once the learner is known to be allowed and the
/// question to be open, and gives the answer as the API takes it.
pub async fn answer_with(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    question_id: i32,
    read: impl FnOnce(Option<&Question>) -> ServiceResult<Value>,
) -> ServiceResult<bool> {
    let class = learner_in(ctx, account, class_id).await?;
    answer_open(ctx, account, &class, question_id, read).await
}

async fn answer_open(
    ctx: Context<'_>,
    account: &Account,
    class: &Class,
    question_id: i32,
    read: impl FnOnce(Option<&Question>) -> ServiceResult<Value>,
) -> ServiceResult<bool> {
    let live = live_of(ctx, class).await?;
    let question = question_of(ctx, class, question_id).await?;
    if question.session_id != live.session_id
        || live.question_id != Some(question.id)
        || question.revealed
    {
        return Err(not_open());
    }
    let (stored, choice, right) = match question.kind.as_str() {
        "course" => {
            let compiled = course_question_of(ctx, &question).ok_or_else(not_open)?;
            let answer = read(Some(&compiled))?;
            grade_course_answer(&compiled, &answer)?
        }
        _ => {
            let answer = read(None)?;
            let index = answer
                .as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .filter(|&i| i < question.choices().len())
                .ok_or_else(|| {
                    ServiceError::invalid(
                        Message::key("live-error-answer-choice")
                            .arg("count", question.choices().len()),
                    )
                })?;
            let index = i32::try_from(index).unwrap_or(i32::MAX);
            (answer, Some(index), question.correct.map(|c| c == index))
        }
    };
    let total = ctx.store.count_class_members(class.id).await?;
    let outcome = ctx
        .store
        .answer_live(
            class.id,
            &question,
            LiveAnswer {
                user_id: account.id,
                answer: &stored,
                choice,
                right,
            },
            total,
            Utc::now(),
        )
        .await?;
    match outcome {
        Answered::First => Ok(true),
        Answered::Replaced => Ok(false),
        Answered::NotOpen => Err(not_open()),
    }
}

/// An answer to a course question in the one shape grading reads: the
/// quiz's answer shapes, or the choices' places in the list everyone sees
/// (one, or a list for several).
fn submitted_of(question: &Question, answer: &Value) -> ServiceResult<SubmittedAnswer> {
    let options = match &question.answer {
        Answer::Choice { options } => Some(options),
        _ => None,
    };
    let index_of = |v: &Value| {
        v.as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| options.and_then(|o| o.get(i)).map(|o| o.id.clone()))
    };
    Ok(match answer {
        Value::Null => {
            return Err(ServiceError::invalid(Message::key(
                "live-error-answer-empty",
            )));
        }
        // A choice by its place; a number question's number is read as
        // the quiz reads it (below).
        Value::Number(_) if !matches!(question.answer, Answer::Number { .. }) => {
            SubmittedAnswer::One(index_of(answer).ok_or_else(|| bad_answer(question))?)
        }
        Value::Array(items) if options.is_some() && items.iter().all(Value::is_number) => {
            let ids = items
                .iter()
                .map(index_of)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad_answer(question))?;
            SubmittedAnswer::Many(ids)
        }
        other => serde_json::from_value(other.clone()).map_err(|_| bad_answer(question))?,
    })
}

/// Grades one answer to `question` as its quiz would.
fn graded(question: &Question, submitted: &SubmittedAnswer) -> ServiceResult<GradedQuestion> {
    let quiz = Quiz {
        pass_mark: 100,
        max_attempts: None,
        questions: vec![question.clone()],
    };
    let submission = std::collections::BTreeMap::from([(question.id.clone(), submitted.clone())]);
    grading::grade(&quiz, &submission)
        .map_err(|e| ServiceError::invalid(Message::Words(e.to_string())))?
        .questions
        .into_iter()
        .next()
        .ok_or_else(|| bad_answer(question))
}

/// What a learner is told after the reveal: the feedback their choices
/// earned (a choice's own words), then the question's.
fn feedback_earned(question: &Question, answer: &Value) -> Option<String> {
    let own = submitted_of(question, answer)
        .and_then(|submitted| graded(question, &submitted))
        .map(|g| g.feedback)
        .unwrap_or_default();
    let general = question.explanation.as_ref().map(|e| e.text.as_str());
    let all: Vec<&str> = [Some(own.as_str()), general]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!all.is_empty()).then(|| all.join(" "))
}

/// Grades an answer to a course question. Gives the answer as kept (a
/// choice by its place, a list of places for several, else the quiz's
/// shape with ids), the choice it counts as in the bars (one choice), and
/// whether it is right. An empty answer is refused.
fn grade_course_answer(
    question: &Question,
    answer: &Value,
) -> ServiceResult<(Value, Option<i32>, Option<bool>)> {
    let submitted = submitted_of(question, answer)?;
    let graded = graded(question, &submitted)?;
    if !graded.answered {
        return Err(ServiceError::invalid(Message::key(
            "live-error-answer-empty",
        )));
    }
    let options = match &question.answer {
        Answer::Choice { options } => Some(options),
        _ => None,
    };
    let place = |id: &String| {
        options
            .and_then(|o| o.iter().position(|o| &o.id == id))
            .and_then(|i| i32::try_from(i).ok())
    };
    let (kept, choice) = match (&submitted, options) {
        (SubmittedAnswer::One(id), Some(_)) => (json!(place(id)), place(id)),
        (SubmittedAnswer::Many(ids), Some(_)) => {
            let mut places: Vec<i32> = ids.iter().filter_map(place).collect();
            places.sort_unstable();
            places.dedup();
            match (question.kind(), places.as_slice()) {
                // One choice sent as a list, to a question with one right.
                (QuestionKind::Single | QuestionKind::TrueFalse, [one]) => (json!(one), Some(*one)),
                _ => (json!(places), None),
            }
        }
        _ => (
            serde_json::to_value(&submitted).unwrap_or(Value::Null),
            None,
        ),
    };
    Ok((kept, choice, Some(graded.correct)))
}

fn bad_answer(question: &Question) -> ServiceError {
    ServiceError::invalid(
        Message::key("live-error-answer-shape").arg("kind", question.kind().as_str()),
    )
}

/// The answers so far to a question of the class (its tutor and observers).
pub async fn tally(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    question_id: i32,
) -> ServiceResult<TallyView> {
    let (class, part) = access(ctx, account, class_id).await?;
    if !part.is_staff() {
        return Err(tutor_only());
    }
    live_of(ctx, &class).await?;
    let question = question_of(ctx, &class, question_id).await?;
    let counted = ctx.store.live_tally(&question).await?;
    let members = ctx.store.class_members(class.id).await?;
    Ok(tally_view(&question, &counted, &members))
}

/// The tutor reveals the answer: each learner is told theirs.
pub async fn reveal(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    question_id: i32,
) -> ServiceResult<()> {
    let (class, live) = led(ctx, account, class_id).await?;
    let question = question_of(ctx, &class, question_id).await?;
    if question.session_id != live.session_id {
        return Err(not_open());
    }
    let compiled = course_question_of(ctx, &question);
    let (correct, feedback) = correct_of(&question, compiled.as_ref());
    ctx.store
        .reveal_live(
            class.id,
            &question,
            correct,
            feedback.as_deref(),
            |answer| compiled.as_ref().and_then(|q| feedback_earned(q, answer)),
        )
        .await?
        .ok_or_else(not_live)
}

/// A learner raises or lowers their hand; the tutor lowers a learner's
/// (`user`).
pub async fn hand(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    hand: ServiceResult<(bool, Option<i32>)>,
) -> ServiceResult<()> {
    let (class, part) = access(ctx, account, class_id).await?;
    if part == Part::Observer {
        return Err(tutor_only());
    }
    let (up, user) = hand?;
    let whose = match (part, user) {
        (Part::Learner, None) => account.id,
        (Part::Learner, Some(id)) if id == account.id => account.id,
        (Part::Learner, Some(_)) => {
            return Err(ServiceError::forbidden(Message::key(
                "live-error-hand-other",
            )));
        }
        (Part::Tutor, Some(id)) if !up => id,
        (Part::Tutor, Some(_)) => {
            return Err(ServiceError::forbidden(Message::key(
                "live-error-raise-other",
            )));
        }
        // Well-formed, but naming no one.
        (Part::Tutor, None) => {
            return Err(ServiceError::not_found(Message::key(
                "live-error-hand-whose",
            )));
        }
        (Part::Observer, _) => return Err(tutor_only()),
    };
    live_of(ctx, &class).await?;
    let username = if whose == account.id {
        account.username.clone()
    } else if ctx.store.is_class_member(class.id, whose).await? {
        ctx.store
            .account(whose)
            .await?
            .map(|a| a.username)
            .unwrap_or_default()
    } else {
        return Err(ServiceError::not_found(
            Message::key("class-error-not-member").arg("id", whose),
        ));
    };
    ctx.store
        .set_live_hand(class.id, whose, &username, up, Utc::now())
        .await?
        .ok_or_else(not_live)
}

/// The tutor ends the live class; who never joined is marked absent.
pub async fn end(ctx: Context<'_>, account: &Account, class_id: i32) -> ServiceResult<()> {
    let (class, _) = led(ctx, account, class_id).await?;
    if ctx.store.end_live(class.id, Utc::now()).await? {
        Ok(())
    } else {
        Err(not_live())
    }
}

/// A learner opened the live class (its page or its event stream): the
/// register marks them present, or late once `live_late_after_minutes`
/// have passed, unless the tutor marked them. Others: nothing.
pub async fn join(
    ctx: Context<'_>,
    account: &Account,
    class: &Class,
    part: Part,
    live: &LiveClass,
) -> ServiceResult<()> {
    if part != Part::Learner {
        return Ok(());
    }
    let late_from =
        live.started_at + Duration::minutes(ctx.settings.live_late_after_minutes.into());
    ctx.store
        .join_live(
            class.id,
            account.id,
            &account.username,
            late_from,
            Utc::now(),
        )
        .await?;
    Ok(())
}

/// A learner follows the tutor again, or reads on their own.
pub async fn follow(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    following: ServiceResult<bool>,
) -> ServiceResult<()> {
    let (class, part) = access(ctx, account, class_id).await?;
    if part != Part::Learner {
        return Err(learners_only());
    }
    let following = following?;
    let live = live_of(ctx, &class).await?;
    join(ctx, account, &class, part, &live).await?;
    ctx.store
        .set_live_following(class.id, account.id, &account.username, following)
        .await?
        .ok_or_else(not_live)
}

/// What a stream needs to start: the class, the viewer's part and the
/// live class (a learner opening it has joined).
pub async fn open(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
) -> ServiceResult<(Class, Part, LiveClass)> {
    let (class, part) = access(ctx, account, class_id).await?;
    let live = live_of(ctx, &class).await?;
    join(ctx, account, &class, part, &live).await?;
    Ok((class, part, live))
}

/// A class of the learner's that is live now, for their home page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveNow {
    pub class_id: i32,
    pub class_name: String,
    pub meeting_url: String,
}

/// The learner's classes that are live now.
pub async fn live_now_for(ctx: Context<'_>, account: &Account) -> ServiceResult<Vec<LiveNow>> {
    let mut now = Vec::new();
    for live in ctx.store.live_classes_of(account.id).await? {
        let Some(class) = ctx.store.class(live.class_id).await? else {
            continue;
        };
        let meeting_url = ctx
            .store
            .session(live.session_id)
            .await?
            .map(|s| s.meeting_url)
            .unwrap_or_default();
        now.push(LiveNow {
            class_id: class.id,
            class_name: class.name,
            meeting_url,
        });
    }
    Ok(now)
}

/// Whether a class is live, for the class's pages and a learner's home.
pub async fn is_live(ctx: Context<'_>, class_id: i32) -> ServiceResult<Option<LiveClass>> {
    Ok(ctx.store.live_class(class_id).await?)
}

/// One line of a session's register, with when the learner joined live.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterEntry {
    pub user_id: i32,
    pub username: String,
    pub status: Option<Attendance>,
    pub joined_at: Option<DateTime<Utc>>,
}

/// A session's register as the tutor reads it through the API.
pub async fn register(
    ctx: Context<'_>,
    account: &Account,
    class_id: i32,
    session_id: i32,
) -> ServiceResult<Vec<RegisterEntry>> {
    let register = super::classes::sessions::register(ctx, account, class_id, session_id).await?;
    let joined: HashMap<i32, DateTime<Utc>> = ctx
        .store
        .live_attendees(session_id)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a.joined_at))
        .collect();
    Ok(register
        .lines
        .into_iter()
        .map(|line| RegisterEntry {
            joined_at: joined.get(&line.id).copied(),
            user_id: line.id,
            username: line.username,
            status: line.status,
        })
        .collect())
}
