//! The JSON API: the contract's names and shapes, bearer tokens, answers
//! never revealed, idempotent attempts, and bad input answered with JSON
//! 4xx errors.

use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    tokens_are_given_for_the_right_password_only,
    a_token_request_the_description_forbids_is_refused,
    courses_and_outlines_have_the_contract_shape,
    a_learner_takes_a_quiz_through_the_api,
    bad_input_gets_a_json_4xx,
);

async fn tokens_are_given_for_the_right_password_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("dawit", Role::Tutor, "password123").await;
    let anyone = app.api("");
    let (status, body) = anyone
        .post(
            "/api/v1/auth/token",
            json!({"username": "dawit", "password": "nope"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "wrong_credentials");
    assert!(body["message"].as_str().unwrap().contains("wrong"));

    let (status, right) = anyone
        .post(
            "/api/v1/auth/token",
            json!({"username": "dawit", "password": "password123"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(right["role"], "tutor");
    let token = right["token"].as_str().unwrap();

    let (status, _) = app.api(token).get("/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.api("forged").get("/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");
}

/// What the description of `/auth/token` says it refuses is refused with
/// 400 before any password is checked: no body, and a username or password
/// of a length it does not allow.
async fn a_token_request_the_description_forbids_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("dawit", Role::Tutor, "password123").await;
    let anyone = app.api("");
    let (status, body) = anyone
        .call(reqwest::Method::POST, "/api/v1/auth/token", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no body: {body}");
    assert_eq!(body["error"], "bad_request");
    for (username, password) in [
        ("", "password123"),
        ("dawit", ""),
        (&*"d".repeat(255), "password123"),
        ("dawit", &*"p".repeat(1025)),
    ] {
        let (status, body) = anyone
            .post(
                "/api/v1/auth/token",
                json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    let (status, _) = anyone
        .post(
            "/api/v1/auth/token",
            json!({"username": "dawit", "password": "password123"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the refusals counted no tries");
}

async fn courses_and_outlines_have_the_contract_shape(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let api = app.api(app.token_for("reader", Role::Learner).await);
    let (status, courses) = api.get("/api/v1/courses").await;
    assert_eq!(status, StatusCode::OK);
    let first = courses
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "first-steps")
        .unwrap();
    assert_eq!(first["title"], "First steps at work");
    assert_eq!(first["sector"], "warehousing");
    assert_eq!(first["level"], "A1");
    assert_eq!(first["hours"], 1.0);
    assert_eq!(first["summary"], "A tiny course for the platform's tests.");

    let (_, outline) = api.get("/api/v1/courses/first-steps").await;
    assert_eq!(outline["slug"], "first-steps");
    let lessons = &outline["modules"][0]["lessons"];
    let ids: Vec<&str> = lessons
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["hello", "shoes", "first-quiz"], "in course order");
    assert_eq!(lessons[0]["kind"], "lesson");
    assert_eq!(lessons[2]["kind"], "quiz");
    assert_eq!(outline["modules"][0]["title"], "Your first day");

    let (status, missing) = api.get("/api/v1/courses/no-such-course").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["error"], "not_found");
}

async fn a_learner_takes_a_quiz_through_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let api = app.api(app.token_for("hana", Role::Learner).await);
    let (status, refused) = api.get("/api/v1/courses/first-steps/lessons/hello").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "enrol first");
    assert!(refused["message"].as_str().unwrap().contains("enrol"));
    let (status, _) = api
        .post("/api/v1/courses/next-steps/enrol", json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a required course first");
    let (status, _) = api
        .post("/api/v1/courses/first-steps/enrol", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (_, lesson) = api.get("/api/v1/courses/first-steps/lessons/hello").await;
    assert_eq!(lesson["kind"], "lesson");
    assert!(
        lesson["html"]
            .as_str()
            .unwrap()
            .contains("Good morning! I am Sam.")
    );
    let (status, done) = api
        .post(
            "/api/v1/courses/first-steps/lessons/hello/complete",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["percent"], 33);
    api.post(
        "/api/v1/courses/first-steps/lessons/shoes/complete",
        json!({}),
    )
    .await;

    let (_, quiz) = api
        .get("/api/v1/courses/first-steps/lessons/first-quiz")
        .await;
    let text = quiz.to_string();
    for secret in [
        "correct",
        "Yes. The supervisor",
        "accepted",
        "\"morning\"",
        "explanation",
    ] {
        assert!(
            !text.contains(secret),
            "the quiz gives away {secret}: {text}"
        );
    }
    let questions = quiz["questions"].as_array().unwrap();
    let by_id = |id: &str| questions.iter().find(|q| q["id"] == id).unwrap().clone();
    assert_eq!(by_id("who-leads")["kind"], "single");
    assert_eq!(by_id("wear")["kind"], "multiple");
    assert_eq!(by_id("gap")["gaps"], 2);
    assert_eq!(by_id("match")["left"].as_array().unwrap().len(), 2);
    assert_eq!(by_id("match")["right"].as_array().unwrap().len(), 2);
    assert_eq!(by_id("order")["items"].as_array().unwrap().len(), 3);

    // Answer by the texts shown, as a client would.
    let option = |q: &Value, text: &str| {
        q["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["text"] == text)
            .unwrap()["id"]
            .clone()
    };
    let item = |list: &Value, text: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|o| o["text"] == text)
            .unwrap()["id"]
            .clone()
    };
    let (who, wear, matching, order) = (
        by_id("who-leads"),
        by_id("wear"),
        by_id("match"),
        by_id("order"),
    );
    let answers = json!({
        "who-leads": option(&who, "The supervisor"),
        "wear": [option(&wear, "Safety shoes"), option(&wear, "A high-visibility vest")],
        "gap": ["Morning.", "new"],
        "match": {
            item(&matching["left"], "supervisor").as_str().unwrap(): item(&matching["right"], "leads the team"),
            item(&matching["left"], "forklift").as_str().unwrap(): item(&matching["right"], "lifts pallets"),
        },
        "order": [item(&order["items"], "Arrive"), item(&order["items"], "Sign in"), item(&order["items"], "Start work")],
    });
    let wrong = json!({"who-leads": option(&who, "A visitor")});
    let (status, failed) = api
        .post(
            "/api/v1/courses/first-steps/lessons/first-quiz/attempts",
            json!({"answers": wrong}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(failed["score"], 0);
    assert_eq!(failed["passed"], false);
    let first = &failed["questions"][0];
    assert_eq!(first["id"], "who-leads");
    assert_eq!(first["correct"], false);
    assert_eq!(first["feedback"], "No. A visitor does not work here.");

    let send = |key: &'static str| {
        app.client
            .post(app.url("/api/v1/courses/first-steps/lessons/first-quiz/attempts"))
            .bearer_auth(&api.token)
            .header("Idempotency-Key", key)
            .json(&json!({"answers": answers}))
            .send()
    };
    let once = send("attempt-2").await.unwrap();
    assert_eq!(once.status(), StatusCode::CREATED);
    let once: Value = once.json().await.unwrap();
    assert_eq!(once["score"], 100, "{once}");
    assert_eq!(once["passed"], true);
    assert_eq!(once["course_completed"], true);
    let twice = send("attempt-2").await.unwrap();
    assert_eq!(twice.status(), StatusCode::OK);
    let twice: Value = twice.json().await.unwrap();
    assert_eq!(twice["attempt_id"], once["attempt_id"], "stored once");
    assert_eq!(twice["replayed"], true);

    let (_, progress) = api.get("/api/v1/me/progress").await;
    let course = &progress[0];
    assert_eq!(course["slug"], "first-steps");
    assert_eq!(course["percent"], 100);
    assert_eq!(course["completed"], true);
    assert_eq!(course["lessons_done"], 2);
    assert_eq!(course["quizzes"][0]["id"], "first-quiz");
    assert_eq!(course["quizzes"][0]["best_score"], 100);
    assert_eq!(course["quizzes"][0]["passed"], true);
    assert_eq!(
        course["quizzes"][0]["attempts"], 2,
        "the repeat did not count"
    );

    let (status, _) = api
        .post("/api/v1/courses/next-steps/enrol", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "the next course opens");
}

async fn bad_input_gets_a_json_4xx(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let api = app.api(app.token_for("tester", Role::Learner).await);
    api.post("/api/v1/courses/first-steps/enrol", json!({}))
        .await;
    let quiz = "/api/v1/courses/first-steps/lessons/first-quiz/attempts";
    // Answers the description allows that do not fit this quiz are a
    // conflict with the quiz as it is (409); a body the description
    // forbids is bad input (400).
    let (conflict, bad) = (StatusCode::CONFLICT, StatusCode::BAD_REQUEST);
    for (body, expected, status_wanted, code) in [
        (
            json!({"answers": {"nope": "x"}}),
            "no question",
            conflict,
            "conflict",
        ),
        (
            json!({"answers": {"who-leads": "not-an-option"}}),
            "not one of its choices",
            conflict,
            "conflict",
        ),
        (
            json!({"answers": {"who-leads": {"a": "b"}}}),
            "wrong shape",
            conflict,
            "conflict",
        ),
        (
            json!({"answers": {"match": ["x"]}}),
            "wrong shape",
            conflict,
            "conflict",
        ),
        (json!({"answers": 5}), "not valid JSON", bad, "bad_request"),
        (json!({}), "not valid JSON", bad, "bad_request"),
    ] {
        let (status, error) = api.post(quiz, body.clone()).await;
        assert_eq!(status, status_wanted, "{body}");
        assert_eq!(error["error"], code);
        assert!(
            error["message"].as_str().unwrap().contains(expected),
            "{body}: {error}"
        );
    }
    let raw = app
        .client
        .post(app.url(quiz))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let (status, _) = api
        .post(
            "/api/v1/courses/first-steps/lessons/hello/attempts",
            json!({"answers": {}}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a lesson is not a quiz");
    let (status, _) = api
        .post(
            "/api/v1/courses/first-steps/lessons/first-quiz/complete",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a quiz is done by passing it");
    let (status, body) = api.get("/api/v1/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
    let (status, _) = api.get("/api/v1/courses/first-steps/lessons/missing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_call() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = document["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/auth/token", "post"),
        ("/api/v1/courses", "get"),
        ("/api/v1/courses/{slug}", "get"),
        ("/api/v1/courses/{slug}/enrol", "post"),
        ("/api/v1/courses/{slug}/lessons/{id}", "get"),
        ("/api/v1/courses/{slug}/lessons/{id}/complete", "post"),
        ("/api/v1/courses/{slug}/lessons/{id}/attempts", "post"),
        ("/api/v1/me/progress", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path}"
        );
    }
    assert!(document["components"]["schemas"]["AttemptResult"].is_object());
    let statuses = |path: &str, method: &str| -> Vec<String> {
        paths[path][method]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert!(statuses("/api/v1/auth/token", "post").contains(&"400".to_string()));
    for (path, refusals) in [
        (
            "/api/v1/courses/{slug}/lessons/{id}/complete",
            ["401", "403", "404", "409"],
        ),
        (
            "/api/v1/courses/{slug}/lessons/{id}/attempts",
            ["400", "401", "403", "404"],
        ),
    ] {
        for status in refusals {
            assert!(
                statuses(path, "post").contains(&status.to_string()),
                "{path} {status}"
            );
        }
    }
    let token = &document["components"]["schemas"]["TokenRequest"]["properties"];
    assert_eq!(token["username"]["minLength"], 1);
    assert_eq!(token["password"]["maxLength"], 1024);
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}
