//! Quizzes forgive slips: a quiz sent with questions unanswered asks first
//! and keeps what was typed; "Try again" brings back the learner's own
//! answers with the wrong questions marked; matching and ordering results
//! say which pair or place was wrong. Also the callout labels of a lesson
//! ("Tip") in the learner's language.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, hidden_field, location, quiz_fields};

on_both_databases!(
    a_quiz_with_questions_unanswered_asks_first_and_keeps_the_answers,
    try_again_keeps_the_answers_and_marks_what_was_wrong,
);

const QUIZ: &str = "/courses/first-steps/lessons/first-quiz";

/// The form fields of `first-quiz` for the questions whose id is in `only`,
/// answered right, with a CSRF token and the page's attempt token.
async fn fields(app: &TestApp, only: &[&str], right: bool) -> Vec<(String, String)> {
    let (_, page) = app.page(QUIZ).await;
    let mut fields: Vec<(String, String)> = quiz_fields("first-steps", "first-quiz", right)
        .into_iter()
        .filter(|(name, _)| {
            only.iter()
                .any(|id| name == &format!("q:{id}") || name.starts_with(&format!("q:{id}:")))
        })
        .collect();
    fields.push(("csrf".into(), app.csrf().await));
    fields.push((
        "attempt_token".into(),
        hidden_field(&page, "attempt_token").expect("an attempt token"),
    ));
    fields
}

async fn send(app: &TestApp, fields: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("{QUIZ}/attempts")))
        .form(fields)
        .send()
        .await
        .expect("quiz POST")
}

async fn a_quiz_with_questions_unanswered_asks_first_and_keeps_the_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let amina = app.learner("amina").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;

    // Only the first question and one of two gaps answered.
    let mut sent = fields(&app, &["who-leads"], true).await;
    sent.push(("q:gap:1".into(), "morning".into()));
    let asked = send(&app, &sent).await;
    assert_eq!(
        asked.status(),
        StatusCode::OK,
        "the quiz again, not a result"
    );
    let page = asked.text().await.unwrap();
    assert!(
        page.contains("Questions 2, 3, 4, 5 have no answer yet."),
        "the page names the questions: {page}"
    );
    assert!(page.contains("Check my answers now"), "{page}");
    assert!(
        page.contains("value=\"morning\""),
        "the gap typed is kept: {page}"
    );
    let checked = page.matches(" checked>").count();
    assert_eq!(checked, 1, "the choice made is still chosen");
    assert_eq!(
        hidden_field(&page, "attempt_token"),
        sent.iter()
            .find(|(n, _)| n == "attempt_token")
            .map(|(_, v)| v.clone()),
        "the same try, so sending it twice still counts once"
    );
    let stored = app
        .store
        .attempt_count(amina.id, "first-steps", "first-quiz")
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing graded yet");

    // "Check my answers now" grades it as it is.
    sent.push(("unanswered".into(), "submit".into()));
    let graded = send(&app, &sent).await;
    assert_eq!(graded.status(), StatusCode::SEE_OTHER);
    assert!(location(&graded).contains("/attempts/"));
    let (_, result) = app.page(&location(&graded)).await;
    assert!(result.contains("1 of 5 right"), "{result}");

    // A quiz with every question answered is graded at once.
    let complete = send(
        &app,
        &fields(&app, &["who-leads", "wear", "gap", "match", "order"], false).await,
    )
    .await;
    assert_eq!(complete.status(), StatusCode::SEE_OTHER);
}

async fn try_again_keeps_the_answers_and_marks_what_was_wrong(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.learner("farid").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;

    // Right but for the gaps, the matching, and two places of the order.
    let mut sent = fields(&app, &["who-leads", "wear"], true).await;
    sent.extend(
        quiz_fields("first-steps", "first-quiz", false)
            .into_iter()
            .filter(|(name, _)| name.starts_with("q:gap:") || name.starts_with("q:match:")),
    );
    let course = crate::support::compiled_fixture("first-steps");
    let quiz = course
        .lesson("first-quiz")
        .and_then(|l| l.quiz.clone())
        .unwrap();
    let order = quiz.questions.iter().find(|q| q.id == "order").unwrap();
    let presto::course::Answer::Order { items } = &order.answer else {
        panic!("an order question")
    };
    for (item, position) in items.iter().zip(["1", "3", "2"]) {
        sent.push((format!("q:order:{}", item.id), position.into()));
    }
    let graded = send(&app, &sent).await;
    let result_url = location(&graded);
    let (_, result) = app.page(&result_url).await;
    assert!(result.contains("2 of 5 right"), "{result}");
    // Each place of the order, marked.
    assert!(
        result.contains("<li class=\"right\"><span class=\"given-mark\" aria-hidden=\"true\">✓</span> <span class=\"visually-hidden\">Right:</span> 1. Arrive</li>"),
        "the first place was right: {result}"
    );
    assert!(
        result.contains("<span class=\"visually-hidden\">Not right:</span> 2. Start work</li>"),
        "the second was not: {result}"
    );
    // Each pair of the matching, marked wrong.
    assert_eq!(
        result
            .matches("<span class=\"visually-hidden\">Not right:</span> supervisor →")
            .count()
            + result
                .matches("<span class=\"visually-hidden\">Not right:</span> forklift →")
                .count(),
        2,
        "both pairs were wrong: {result}"
    );

    // "Try again" opens the quiz with this try's answers.
    let attempt_id = result_url.rsplit('/').next().unwrap();
    let again = format!("{QUIZ}?again={attempt_id}");
    assert!(result.contains(&format!("href=\"{again}\"")), "{result}");
    let (status, form) = app.page(&again).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("value=\"wrong\""),
        "the gaps as typed: {form}"
    );
    assert_eq!(
        form.matches("class=\"last-time\"").count(),
        3,
        "gap, match, order: {form}"
    );
    assert_eq!(
        form.matches(" selected>").count(),
        5,
        "two pairs and three places: {form}"
    );
    assert!(form.contains("Change the ones marked"), "{form}");

    // Someone else's try is not theirs to see: a fresh form.
    let other = app.another_browser();
    other.learner("olena").await;
    other.post_form("/courses/first-steps/enrol", &[]).await;
    let (status, fresh) = other.page(&again).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!fresh.contains("value=\"wrong\"") && !fresh.contains("class=\"last-time\""));
    assert_eq!(fresh.matches(" selected>").count(), 0, "{fresh}");
    // Nonsense is ignored too.
    let (status, _) = other.page(&format!("{QUIZ}?again=nonsense")).await;
    assert_eq!(status, StatusCode::OK);
}

/// A lesson's callout label is the interface's word: "Tip" in Arabic for
/// an Arabic reader, over the English tip itself.
#[tokio::test]
async fn a_lessons_tip_is_labelled_in_the_learners_language() {
    let courses = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("courses");
    let app = TestApp::spawn_with(Backend::Sqlite, &courses).await;
    app.learner("yusuf").await;
    app.post_form("/courses/hospitality-kitchen-english/enrol", &[])
        .await;
    const LESSON: &str = "/courses/hospitality-kitchen-english/lessons/kitchen-team";
    let (_, english) = app.page(LESSON).await;
    assert!(
        english.contains("<p class=\"callout-title\">Tip</p>"),
        "{english}"
    );
    let chosen = app.post_form("/language", &[("lang", "ar")]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let (_, arabic) = app.page(LESSON).await;
    assert!(
        arabic.contains("<p class=\"callout-title\" lang=\"ar\" dir=\"rtl\">نصيحة</p>"),
        "{arabic}"
    );
    assert!(arabic.contains("Say your name and ask people their names."));
}
