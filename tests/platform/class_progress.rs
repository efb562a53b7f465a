//! Class progress: a tutor opens their class and sees who finished, who is
//! stuck on a quiz, who has gone quiet, and which question confused the
//! class; the API says the same. Only the class's tutor, coordinators and
//! admins may look.

use chrono::{Duration, Utc};
use presto::domain::names::Role;
use presto::store::classes::{Class, class_course, class_member};
use presto::store::progress::{enrolment, lesson_progress, quiz_attempt};
use presto::store::users::Account;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, hidden_field, location, quiz_fields};

on_both_databases!(
    a_tutor_sees_who_finished_who_is_stuck_and_what_confused_the_class,
    only_the_class_tutor_coordinators_and_admins_see_it,
    odd_data_never_breaks_the_page,
);

const SLUG: &str = "first-steps";

/// A learner in their own browser, in the class.
async fn member(app: &TestApp, class: &Class, username: &str) -> (TestApp, Account) {
    let browser = app.another_browser();
    let account = browser.learner(username).await;
    app.store.join_class(class, account.id).await.unwrap();
    (browser, account)
}

async fn done(browser: &TestApp, lesson: &str) {
    let response = browser
        .post_form(&format!("/courses/{SLUG}/lessons/{lesson}/done"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// The quiz answered right except the gap question: 80%, a pass.
async fn pass_with_the_gap_wrong(browser: &TestApp) {
    let (_, page) = browser
        .page(&format!("/courses/{SLUG}/lessons/first-quiz"))
        .await;
    let mut fields: Vec<(String, String)> = quiz_fields(SLUG, "first-quiz", true)
        .into_iter()
        .map(|(name, value)| {
            if name.starts_with("q:gap:") {
                (name, "wrong".to_string())
            } else {
                (name, value)
            }
        })
        .collect();
    fields.push(("csrf".into(), browser.csrf().await));
    fields.push((
        "attempt_token".into(),
        hidden_field(&page, "attempt_token").unwrap_or_default(),
    ));
    let response = browser
        .client
        .post(browser.url(&format!("/courses/{SLUG}/lessons/first-quiz/attempts")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// Moves everything a learner did (and their joining) `days` into the past.
async fn age(app: &TestApp, user_id: i32, days: i64) {
    let then = Utc::now() - Duration::days(days);
    let db = app.store.db();
    class_member::Entity::update_many()
        .col_expr(class_member::Column::JoinedAt, Expr::value(then))
        .filter(class_member::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .unwrap();
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::EnrolledAt, Expr::value(then))
        .col_expr(enrolment::Column::LastActiveAt, Expr::value(then))
        .filter(enrolment::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .unwrap();
    lesson_progress::Entity::update_many()
        .col_expr(lesson_progress::Column::UpdatedAt, Expr::value(then))
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .unwrap();
    quiz_attempt::Entity::update_many()
        .col_expr(quiz_attempt::Column::SubmittedAt, Expr::value(then))
        .filter(quiz_attempt::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .unwrap();
}

/// A GET in the API, with a token or as a visitor.
async fn api_get(app: &TestApp, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    if let Some(token) = token {
        return app.api(token).get(path).await;
    }
    let response = reqwest::Client::new()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A class with three learners: Dana finished, Farid failed the quiz twice,
/// Ivan did one lesson eight days ago and nothing since.
pub(crate) async fn class_with_three_learners(app: &TestApp, tutor: &Account) -> Class {
    let class = app
        .store
        .create_class(
            tutor.id,
            "Warehouse Tuesday",
            "warehousing",
            &[SLUG.to_string()],
        )
        .await
        .unwrap();
    let (dana, _) = member(app, &class, "dana").await;
    done(&dana, "hello").await;
    done(&dana, "shoes").await;
    pass_with_the_gap_wrong(&dana).await;

    let (farid, _) = member(app, &class, "farid").await;
    done(&farid, "hello").await;
    for _ in 0..2 {
        let response = farid.submit_quiz(SLUG, "first-quiz", false, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    let (ivan, ivan_account) = member(app, &class, "ivan").await;
    done(&ivan, "hello").await;
    ivan.submit_quiz(SLUG, "first-quiz", false, None).await;
    age(app, ivan_account.id, 8).await;
    class
}

async fn a_tutor_sees_who_finished_who_is_stuck_and_what_confused_the_class(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let tutor = app.add_user("tutor", Role::Tutor, "password123").await;
    let class = class_with_three_learners(&app, &tutor).await;
    let path = format!("/classes/{}/progress", class.id);

    // The page.
    let browser = app.another_browser();
    browser.sign_in("tutor", "password123").await;
    let (status, html) = browser.page(&path).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Warehouse Tuesday"));
    assert!(html.contains("3 learners"), "{html}");
    let help = &html[html.find("Who needs help").expect("the help list")
        ..html.find("class=\"class-course\"").expect("the course")];
    assert!(
        help.contains("farid Test")
            && help.contains("Failed this quiz 2 times and has not passed it yet")
            && help.contains("First day"),
        "Farid is stuck on the quiz: {help}"
    );
    assert!(
        help.contains("ivan Test") && help.contains("Has done nothing for 8 days"),
        "Ivan has gone quiet: {help}"
    );
    assert!(!help.contains("dana Test"), "Dana is fine: {help}");
    assert!(html.contains("Stuck on a quiz") && html.contains("Inactive 8 days"));
    // Dana's row: 100% and complete; the quiz passed with 80.
    let grid = &html[html.find("<table class=\"grid\"").expect("the grid")..];
    let dana_row = &grid[grid.find("<bdi>dana Test</bdi>").unwrap()..];
    let dana_row = &dana_row[..dana_row.find("</tr>").unwrap()];
    assert!(
        dana_row.contains("100%") && dana_row.contains("Complete"),
        "{dana_row}"
    );
    assert!(dana_row.contains("Passed, best score 80%"), "{dana_row}");
    let farid_row = &grid[grid.find("<bdi>farid Test</bdi>").unwrap()..];
    let farid_row = &farid_row[..farid_row.find("</tr>").unwrap()];
    assert!(
        farid_row.contains("33%") && farid_row.contains("Not passed yet after 2 tries"),
        "{farid_row}"
    );
    assert!(!farid_row.contains("Complete"));
    assert!(
        farid_row.contains("Stuck on a quiz"),
        "the badge on the row"
    );
    // The gap question: everyone got it wrong on their first try, so it
    // comes first and is marked.
    let shares = &html[html.find("Questions in").expect("question shares")..];
    assert!(shares.contains("0 of 3 learners right (0%)"), "{shares}");
    assert!(shares.contains("1 of 3 learners right (33%)"), "{shares}");
    assert!(shares.contains("Most got this wrong"));
    assert!(
        shares.find("Fill in the gap.") < shares.find("Who leads your team?"),
        "the hardest question first: {shares}"
    );
    assert!(shares.contains("first try"), "how it is counted is said");

    // The API says the same.
    let token = api_token(&app, "tutor").await;
    let (status, body) = api_get(&app, Some(&token), &format!("/api/v1{path}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["class"]["id"], class.id);
    assert_eq!(body["class"]["name"], "Warehouse Tuesday");
    let learners = body["learners"].as_array().unwrap();
    let names: Vec<&str> = learners
        .iter()
        .map(|l| l["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dana", "farid", "ivan"], "by name");
    let course = |l: &Value| l["courses"][0].clone();
    let dana = &learners[0];
    assert_eq!(course(dana)["slug"], SLUG);
    assert_eq!(course(dana)["percent"], 100);
    assert_eq!(course(dana)["completed"], true);
    assert!(course(dana)["completed_at"].is_string());
    assert_eq!(dana["needs_help"], serde_json::json!([]));
    assert_eq!(course(dana)["items"][2]["status"], "passed");
    assert_eq!(course(dana)["items"][2]["best_score"], 80);

    let farid = &learners[1];
    assert_eq!(course(farid)["percent"], 33);
    assert_eq!(course(farid)["completed"], false);
    assert_eq!(course(farid)["items"][0]["status"], "done");
    assert_eq!(course(farid)["items"][1]["status"], "not_started");
    assert_eq!(course(farid)["items"][2]["status"], "failed");
    assert_eq!(course(farid)["items"][2]["attempts"], 2);
    let reasons = farid["needs_help"].as_array().unwrap();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0]["reason"], "failed_quiz");
    assert_eq!(reasons[0]["quiz"], "first-quiz");
    assert_eq!(reasons[0]["failures"], 2);

    let ivan = &learners[2];
    let reasons = ivan["needs_help"].as_array().unwrap();
    assert_eq!(reasons.len(), 1, "one failure is not stuck: {reasons:?}");
    assert_eq!(reasons[0]["reason"], "inactive");
    assert_eq!(reasons[0]["days"], 8);

    let quiz = &body["courses"][0]["quizzes"][0];
    assert_eq!(quiz["id"], "first-quiz");
    assert_eq!(quiz["learners"], 3);
    assert_eq!(quiz["questions"][0]["id"], "gap");
    assert_eq!(quiz["questions"][0]["right"], 0);
    assert_eq!(quiz["questions"][0]["of"], 3);
    assert_eq!(quiz["questions"][0]["mostly_wrong"], true);
    assert_eq!(quiz["questions"][1]["percent"], 33);

    // The API is in the OpenAPI document.
    let (_, openapi) = api_get(&app, None, "/api/v1/openapi.json").await;
    assert!(openapi["paths"]["/api/v1/classes/{id}/progress"]["get"].is_object());
}

async fn only_the_class_tutor_coordinators_and_admins_see_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let tutor = app.add_user("tutor", Role::Tutor, "password123").await;
    let class = app
        .store
        .create_class(tutor.id, "Care Monday", "care", &[SLUG.to_string()])
        .await
        .unwrap();
    let (learner_browser, _) = member(&app, &class, "lina").await;
    let page = format!("/classes/{}/progress", class.id);
    let api = format!("/api/v1{page}");

    // People and what they get: (username, role, page status, API status).
    let cases = [
        ("tutor", Role::Tutor, StatusCode::OK),
        ("other-tutor", Role::Tutor, StatusCode::FORBIDDEN),
        ("coordinator", Role::Coordinator, StatusCode::OK),
        ("admin", Role::Admin, StatusCode::OK),
    ];
    for (username, role, expected) in cases {
        if username != "tutor" {
            app.add_user(username, role, "password123").await;
        }
        let browser = app.another_browser();
        browser.sign_in(username, "password123").await;
        assert_eq!(
            browser.get(&page).await.status(),
            expected,
            "{username}: page"
        );
        let token = api_token(&app, username).await;
        let (status, _) = api_get(&app, Some(&token), &api).await;
        assert_eq!(status, expected, "{username}: API");
    }

    // A learner in the class sees their own progress, not the class's.
    assert_eq!(
        learner_browser.get(&page).await.status(),
        StatusCode::FORBIDDEN
    );
    let token = api_token(&app, "lina").await;
    let (status, body) = api_get(&app, Some(&token), &api).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "forbidden");
    let (status, _) = api_get(&app, Some(&token), "/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::OK);

    // Visitors sign in first; no token is 401.
    let visitor = app.another_browser();
    let response = visitor.get(&page).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/login"));
    let (status, _) = api_get(&app, None, &api).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A class that does not exist.
    let admin = app.another_browser();
    admin.sign_in("admin", "password123").await;
    assert_eq!(
        admin.get("/classes/9999/progress").await.status(),
        StatusCode::NOT_FOUND
    );
    let token = api_token(&app, "admin").await;
    let (status, body) = api_get(&app, Some(&token), "/api/v1/classes/9999/progress").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}

async fn api_token(app: &TestApp, username: &str) -> String {
    app.token(username, "password123").await
}

/// A course gone from the catalogue, progress for a lesson the course no
/// longer has, results for a question it no longer has, and results that
/// cannot be read: the page and the API still answer.
async fn odd_data_never_breaks_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let tutor = app.add_user("tutor", Role::Tutor, "password123").await;
    let class = app
        .store
        .create_class(tutor.id, "Odd class", "warehousing", &[SLUG.to_string()])
        .await
        .unwrap();
    let (learner, account) = member(&app, &class, "olga").await;
    // A course the catalogue does not have (nobody can be enrolled in it).
    class_course::ActiveModel {
        class_id: Set(class.id),
        course_slug: Set("retired-course".into()),
        position: Set(1),
    }
    .insert(app.store.db())
    .await
    .unwrap();
    done(&learner, "hello").await;
    let now = Utc::now();
    lesson_progress::ActiveModel {
        user_id: Set(account.id),
        course_slug: Set(SLUG.into()),
        lesson_id: Set("removed-lesson".into()),
        kind: Set("lesson".into()),
        completed_at: Set(Some(now)),
        best_score: Set(None),
        passed: Set(false),
        attempts: Set(0),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.store.db())
    .await
    .unwrap();
    for results in [
        r#"{"score":0,"passed":false,"questions":[{"id":"removed-question","correct":true,"answered":true,"feedback":"","option_feedback":[],"gaps_correct":[]}]}"#,
        "not json at all",
    ] {
        quiz_attempt::ActiveModel {
            user_id: Set(account.id),
            course_slug: Set(SLUG.into()),
            lesson_id: Set("first-quiz".into()),
            course_version: Set(1),
            score: Set(0),
            passed: Set(false),
            answers: Set("{}".into()),
            results: Set(results.into()),
            idempotency_key: Set(None),
            submitted_at: Set(now),
            ..Default::default()
        }
        .insert(app.store.db())
        .await
        .unwrap();
    }

    let browser = app.another_browser();
    browser.sign_in("tutor", "password123").await;
    let (status, html) = browser
        .page(&format!("/classes/{}/progress", class.id))
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("This course is no longer published"),
        "{html}"
    );
    assert!(html.contains("retired-course"));
    assert!(
        html.contains("Nobody has answered this question yet."),
        "results for a removed question count for nothing"
    );

    let token = api_token(&app, "tutor").await;
    let (status, body) = api_get(
        &app,
        Some(&token),
        &format!("/api/v1/classes/{}/progress", class.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let courses = &body["learners"][0]["courses"];
    assert_eq!(
        courses[0]["percent"], 33,
        "the removed lesson counts for nothing"
    );
    assert_eq!(courses[1]["slug"], "retired-course");
    assert_eq!(courses[1]["percent"], Value::Null);
    assert_eq!(body["courses"][1]["published"], false);
    assert_eq!(body["courses"][0]["quizzes"][0]["learners"], 1);
    assert_eq!(
        body["learners"][0]["needs_help"][0]["reason"], "failed_quiz",
        "two failed attempts, even with unreadable results"
    );
}
