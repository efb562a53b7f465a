//! A number question end to end: the quiz page's input, the form's answer
//! graded with or without its unit and with a decimal comma, the result
//! page's feedback in the learner's terms, and the JSON API's shape and
//! grading of numbers and text.

use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, hidden_field, location};

on_both_databases!(
    a_number_question_through_the_pages,
    a_number_question_through_the_api,
    a_number_question_asked_in_a_live_class,
);

fn number_courses() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/numbers")
}

/// Submits the fridge quiz's form with these answers and returns the
/// result page.
async fn submit(app: &TestApp, answers: &[(&str, &str)]) -> String {
    let (_, page) = app.page("/courses/fridge-check/lessons/fridge-quiz").await;
    let mut fields: Vec<(String, String)> = answers
        .iter()
        .map(|(q, a)| (format!("q:{q}"), a.to_string()))
        .collect();
    fields.push(("csrf".into(), app.csrf().await));
    fields.push((
        "attempt_token".into(),
        hidden_field(&page, "attempt_token").unwrap_or_default(),
    ));
    // These tries leave questions out on purpose: grade them as they are.
    fields.push(("unanswered".into(), "submit".into()));
    let posted = app
        .client
        .post(app.url("/courses/fridge-check/lessons/fridge-quiz/attempts"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let (status, result) = app.page(&location(&posted)).await;
    assert_eq!(status, StatusCode::OK);
    result
}

async fn a_number_question_through_the_pages(backend: Backend) {
    let app = TestApp::spawn_with(backend, &number_courses()).await;
    app.learner("amina").await;
    app.post_form("/courses/fridge-check/enrol", &[]).await;

    let (status, quiz) = app.page("/courses/fridge-check/lessons/fridge-quiz").await;
    assert_eq!(status, StatusCode::OK);
    // A text box a phone opens with its number keys, which keeps a typed
    // comma (type=number would drop "2,5" on some phones).
    assert!(quiz.contains("name=\"q:cold-law\""), "{quiz}");
    assert!(quiz.contains("inputmode=\"decimal\""));
    assert!(!quiz.contains("type=\"number\""));
    assert!(quiz.contains("<label for=\"q-cold-law-number\">Your answer (a number)</label>"));
    assert!(quiz.contains(">°C</span>"), "the unit beside the box");
    assert!(!quiz.contains("8 °C</"), "the answer is not on the page");

    let all_right = submit(
        &app,
        &[("cold-law", "8 c"), ("target", "4,5"), ("allergens", "14")],
    )
    .await;
    assert!(all_right.contains("3 of 3 right"), "{all_right}");

    let all_wrong = submit(
        &app,
        &[
            ("cold-law", "8 °F"),
            ("target", "six"),
            ("allergens", "14 allergens"),
        ],
    )
    .await;
    assert!(all_wrong.contains("0 of 3 right"), "{all_wrong}");
    assert!(all_wrong.contains(
        "This is the wrong unit. The answer is in: <bdi lang=\"en\" dir=\"ltr\">°C</bdi>"
    ));
    assert!(all_wrong.contains("This is not a number."));
    assert!(all_wrong.contains("Write only the number, without a word after it."));
    assert!(
        all_wrong.contains("8 °F"),
        "what the learner typed is shown"
    );

    // Too long, or a number no one measures: simply wrong, not an error page.
    let odd = submit(
        &app,
        &[
            ("cold-law", &"9".repeat(5000)),
            ("target", "NaN"),
            ("allergens", "inf"),
        ],
    )
    .await;
    assert!(odd.contains("0 of 3 right"), "{odd}");

    // In Arabic the box still reads left to right, with its label translated.
    app.post_form("/language", &[("lang", "ar")]).await;
    let (_, arabic) = app.page("/courses/fridge-check/lessons/fridge-quiz").await;
    assert!(arabic.contains("dir=\"rtl\""), "{arabic}");
    assert!(arabic.contains("إجابتك (رقم)"), "{arabic}");
    assert!(arabic.contains("<span class=\"number-field\" dir=\"ltr\">"));
}

async fn a_number_question_through_the_api(backend: Backend) {
    let app = TestApp::spawn_with(backend, &number_courses()).await;
    let api = app.api(app.token_for("bilal", Role::Learner).await);
    let (status, _) = api
        .post("/api/v1/courses/fridge-check/enrol", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, quiz) = api
        .get("/api/v1/courses/fridge-check/lessons/fridge-quiz")
        .await;
    assert_eq!(status, StatusCode::OK);
    let questions = quiz["questions"].as_array().unwrap();
    assert_eq!(questions[0]["kind"], "number");
    assert_eq!(questions[0]["unit"], "°C");
    assert_eq!(questions[0]["hint"], "Read the lesson again.");
    assert!(questions[2].get("unit").is_none(), "no unit: none given");
    let shown = quiz.to_string();
    assert!(
        !shown.contains("\"8 °C\"") && !shown.contains("\"low\""),
        "no answer given away: {shown}"
    );

    let attempts = "/api/v1/courses/fridge-check/lessons/fridge-quiz/attempts";
    let (status, right) = api
        .post(
            attempts,
            json!({"answers": {"cold-law": 8, "target": "2,5 °C", "allergens": 14}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{right}");
    assert_eq!(right["score"], 100);

    let (status, wrong) = api
        .post(
            attempts,
            json!({"answers": {"cold-law": "8 °F", "target": 4.5, "allergens": "NaN"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{wrong}");
    assert_eq!(wrong["score"], 33);
    assert_eq!(wrong["questions"][0]["correct"], false);
    assert_eq!(wrong["questions"][0]["feedback"], "The answer is in °C.");
    assert_eq!(wrong["questions"][1]["correct"], true);
    assert_eq!(
        wrong["questions"][2]["feedback"],
        "Write the answer as a number, like 5 or 2.5."
    );

    // A list of two numbers cannot be one number's answer: refused, not graded.
    let (status, refused) = api
        .post(attempts, json!({"answers": {"cold-law": ["8", "9"]}}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    // A number JSON cannot hold is a bad body: 400, never a crash.
    let raw = app
        .client
        .post(app.url(attempts))
        .bearer_auth(&api.token)
        .header("Content-Type", "application/json")
        .body(r#"{"answers": {"cold-law": 1e400}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
}

/// A tutor asks the number question live: learners answer with the API or
/// the page's own box, the tally counts right and not right, and the
/// reveal gives the right answer in words.
async fn a_number_question_asked_in_a_live_class(backend: Backend) {
    let app = TestApp::spawn_with(backend, &number_courses()).await;
    let tutor_token = app.token_for("tess", Role::Tutor).await;
    let tutor = app.api(&tutor_token);
    let (status, class) = tutor
        .post(
            "/api/v1/classes",
            json!({"name": "Kitchen group", "courses": ["fridge-check"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{class}");
    let id = class["id"].as_i64().unwrap();
    let code = class["join_code"].as_str().unwrap().to_string();
    let mut learners = Vec::new();
    for name in ["amina", "bilal", "chen"] {
        app.add_user(name, Role::Learner, "password123").await;
        let token = app.token(name, "password123").await;
        let (status, _) = app
            .api(&token)
            .post("/api/v1/classes/join", json!({"code": code}))
            .await;
        assert!(status.is_success());
        learners.push(token);
    }
    let base = format!("/api/v1/classes/{id}/live");
    tutor.post(&base, json!({})).await;
    let (status, asked) = tutor
        .post(
            &format!("{base}/questions"),
            json!({"course": "fridge-check", "quiz": "fridge-quiz", "question": "cold-law"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{asked}");
    let q = asked["question_id"].as_i64().unwrap();
    let amina = app.api(&learners[0]);
    let bilal = app.api(&learners[1]);
    let (_, seen) = amina.get(&base).await;
    assert_eq!(seen["question"]["quiz"]["kind"], "number", "{seen}");
    assert_eq!(seen["question"]["quiz"]["unit"], "°C");

    let answers = format!("{base}/questions/{q}/answers");
    let (status, body) = amina.post(&answers, json!({"answer": "8 °C"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = bilal.post(&answers, json!({"answer": 9})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = bilal.post(&answers, json!({"answer": "  "})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an empty answer: {body}");

    // Chen answers on the live page, with the quiz's number box.
    let chen = app.another_browser();
    chen.sign_in("chen", "password123").await;
    let live = format!("/classes/{id}/live");
    let (_, page) = chen.page(&live).await;
    assert!(page.contains("inputmode=\"decimal\""), "{page}");
    let question = hidden_field(&page, "question").expect("the question's form");
    let response = chen
        .post_form(
            &format!("{live}/answer"),
            &[("question", &question), ("q:cold-law", "8,0")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (_, counted) = tutor.get(&format!("{base}/questions/{q}")).await;
    assert_eq!(counted["right"], json!(2), "{counted}");
    assert_eq!(counted["wrong"], json!(1), "{counted}");

    tutor
        .post(&format!("{base}/questions/{q}/reveal"), json!({}))
        .await;
    let (_, seen) = bilal.get(&base).await;
    assert_eq!(seen["question"]["right"], json!(false), "{seen}");
    assert_eq!(seen["question"]["correct"], json!(["8 °C"]));
    let (_, page) = chen.page(&live).await;
    assert!(
        page.contains("<li>8 °C</li>"),
        "the right answer in words: {page}"
    );
}

/// The number question on a phone, in English and in Arabic: accessible,
/// the box beside its unit, an answer typed with a decimal comma, and the
/// result page's feedback. Screenshots for people to look at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_question_on_a_phone_in_english_and_arabic() {
    use crate::browser::{PHONE, Page, browser_tools, phone, screenshot_dir};
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn_with(Backend::Sqlite, &number_courses()).await;
    app.add_user("amina", Role::Learner, "password123").await;
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: screenshot_dir(),
    };
    page.sign_in(&app, "amina", "password123").await;
    client
        .goto(&app.url("/courses/fridge-check"))
        .await
        .unwrap();
    page.click_and_wait("form.actions button").await;
    client
        .goto(&app.url("/courses/fridge-check/lessons/fridge-quiz"))
        .await
        .unwrap();
    page.look("number-en-1-quiz").await;
    let mode = page
        .js("return document.querySelector(\"input[name='q:cold-law']\").inputMode")
        .await;
    assert_eq!(mode, serde_json::json!("decimal"));
    let fits = page
        .js("return document.documentElement.scrollWidth <= window.innerWidth")
        .await;
    assert_eq!(
        fits,
        serde_json::json!(true),
        "no sideways scrolling at 360 px"
    );
    page.fill("input[name='q:cold-law']", "8 °F").await;
    page.fill("input[name='q:target']", "4,5").await;
    page.fill("input[name='q:allergens']", "14").await;
    page.click_and_wait("form.quiz button.quiz-submit").await;
    page.look("number-en-2-result").await;
    let text = page.text().await;
    assert!(text.contains("2 of 3 right"), "{text}");
    assert!(
        text.contains("This is the wrong unit. The answer is in: °C"),
        "{text}"
    );

    client
        .goto(&app.url("/courses/fridge-check/lessons/fridge-quiz"))
        .await
        .unwrap();
    page.click_and_wait("button[name=lang][value=ar]").await;
    assert_eq!(
        page.js("return document.documentElement.dir").await,
        serde_json::json!("rtl")
    );
    page.look("number-ar-1-quiz").await;
    let fits = page
        .js("return document.documentElement.scrollWidth <= window.innerWidth")
        .await;
    assert_eq!(
        fits,
        serde_json::json!(true),
        "no sideways scrolling in Arabic"
    );
    page.fill("input[name='q:cold-law']", "٨").await;
    page.click_and_wait("form.quiz button.quiz-submit").await;
    // Two questions left empty: the page asks first, in Arabic.
    let asked = page.text().await;
    assert!(asked.contains("بلا إجابة حتى الآن"), "{asked}");
    page.look("number-ar-2-unanswered").await;
    page.click_and_wait("button[name=unanswered]").await;
    page.look("number-ar-2-result").await;
    eprintln!("screenshots: {}", screenshot_dir().display());
}
