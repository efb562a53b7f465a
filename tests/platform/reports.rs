//! Coordinator reports against hand-built data: four learners in two
//! sectors and two classes, completions across two months, certificates,
//! quiz attempts and outcomes, each at a chosen date. The figures on the
//! dashboard, the funder report and its CSV are counted by hand below; the
//! exports carry the right rows; the personal data export holds one
//! learner's things only; erasure removes the name everywhere and keeps
//! every count.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use presto::domain::certificate_id::CertificateId;
use presto::domain::names::{FullName, Role, Username};
use presto::passwords::hash_password;
use presto::store::certificates::certificate;
use presto::store::classes::class_member;
use presto::store::courses::course;
use presto::store::outcomes::outcome;
use presto::store::progress::{enrolment, quiz_attempt};
use presto::store::users::{Account, NewAccount};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(
    figures_match_the_hand_counted_data,
    exports_carry_the_rows,
    personal_data_and_erasure,
    bad_filters_and_outcomes_are_refused_clearly,
    the_daily_rollup_agrees_with_the_events,
    erasing_never_collides_with_an_existing_username,
    a_failing_database_is_not_a_bad_class,
    page_and_api_agree_on_outcomes_and_erasure,
    exports_open_in_excel_with_every_script_intact,
    the_class_filter_lists_classes_by_name,
);

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

struct Fixture {
    app: TestApp,
    amina: Account,
    bilal: Account,
    chen: Account,
    class_a: i32,
    class_b: i32,
    chen_certificate: String,
}

async fn person(app: &TestApp, username: &str, name: &str) -> Account {
    app.store
        .create_user(NewAccount {
            username: &Username::parse(username).unwrap(),
            full_name: &FullName::parse(name).unwrap(),
            email: Some("someone@example.org"),
            role: Role::Learner,
            password_hash: &hash_password("password123").unwrap(),
            language: "en",
            home_language: None,
            name_in_own_script: None,
        })
        .await
        .unwrap()
}

async fn enrol(
    app: &TestApp,
    user: &Account,
    slug: &str,
    enrolled: DateTime<Utc>,
    completed: Option<DateTime<Utc>>,
    active: DateTime<Utc>,
) {
    enrolment::ActiveModel {
        user_id: Set(user.id),
        course_slug: Set(slug.into()),
        enrolled_at: Set(enrolled),
        last_lesson_id: Set(None),
        last_active_at: Set(active),
        completed_at: Set(completed),
        ..Default::default()
    }
    .insert(app.store.db())
    .await
    .unwrap();
}

async fn certify(app: &TestApp, user: &Account, slug: &str, issued: DateTime<Utc>) -> String {
    let id = CertificateId::generate().as_str().to_string();
    certificate::ActiveModel {
        id: Set(id.clone()),
        user_id: Set(user.id),
        course_slug: Set(slug.into()),
        course_version: Set(1),
        learner_name: Set(user.full_name.clone()),
        title: Set("A certificate".into()),
        course_title: Set("A course".into()),
        sector: Set("warehousing".into()),
        level: Set("A2".into()),
        hours: Set(None),
        organisation: Set("Presto".into()),
        issued_at: Set(issued),
        expires_at: Set(None),
        revoked_at: Set(None),
        revoked_reason: Set(None),
    }
    .insert(app.store.db())
    .await
    .unwrap();
    id
}

async fn record_outcome(app: &TestApp, user: &Account, kind: &str, on: NaiveDate, note: &str) {
    outcome::ActiveModel {
        user_id: Set(user.id),
        kind: Set(kind.into()),
        happened_on: Set(on),
        note: Set(note.into()),
        recorded_by: Set(None),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(app.store.db())
    .await
    .unwrap();
}

async fn attempt(app: &TestApp, user: &Account, score: i32, passed: bool, on: DateTime<Utc>) {
    quiz_attempt::ActiveModel {
        user_id: Set(user.id),
        course_slug: Set("first-steps".into()),
        lesson_id: Set("first-quiz".into()),
        course_version: Set(1),
        score: Set(score),
        passed: Set(passed),
        answers: Set(r#"{"q1":{"choice":["secret answer"]}}"#.into()),
        results: Set("[]".into()),
        idempotency_key: Set(None),
        submitted_at: Set(on),
        ..Default::default()
    }
    .insert(app.store.db())
    .await
    .unwrap();
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// first-steps is warehousing; next-steps becomes care for these tests, so
/// there are two sectors.
///
/// | learner | course | enrolled | completed | certificate | class |
/// |---|---|---|---|---|---|
/// | amina | first-steps | 01-05 | 01-15 (10 days) | 01-15 | A |
/// | bilal | first-steps | 01-20 | 02-09 (20 days) | 02-09 | A |
/// | bilal | next-steps | 02-12 | – | – | A (not A's course) |
/// | chen | next-steps | 01-10 | 02-14 (35 days) | 02-14 | B |
/// | dara | next-steps | 02-01 | – (active today) | – | B |
///
/// Outcomes: amina job 02-10; chen work experience 02-20, further
/// training 03-01.
async fn fixture(backend: Backend) -> Fixture {
    let app = TestApp::spawn(backend).await;
    course::Entity::update_many()
        .col_expr(course::Column::Sector, Expr::value("care"))
        .filter(course::Column::Slug.eq("next-steps"))
        .exec(app.store.db())
        .await
        .unwrap();
    let amina = person(&app, "amina", "Amina Yusuf").await;
    // A name a spreadsheet would run as a formula.
    let bilal = person(&app, "bilal", "=HYPERLINK(\"x\")").await;
    let chen = person(&app, "chen", "Chen Wei").await;
    let dara = person(&app, "dara", "Dara Karimi").await;
    let tutor = app.add_user("tutor", Role::Tutor, "password123").await;
    let class_a = app
        .store
        .create_class(tutor.id, "Class A", "warehousing", &["first-steps".into()])
        .await
        .unwrap()
        .id;
    let class_b = app
        .store
        .create_class(tutor.id, "Class B", "care", &["next-steps".into()])
        .await
        .unwrap()
        .id;
    for (class, user) in [
        (class_a, &amina),
        (class_a, &bilal),
        (class_b, &chen),
        (class_b, &dara),
    ] {
        class_member::ActiveModel {
            class_id: Set(class),
            user_id: Set(user.id),
            joined_at: Set(at(2026, 1, 1)),
        }
        .insert(app.store.db())
        .await
        .unwrap();
    }
    let old = at(2026, 3, 1);
    enrol(
        &app,
        &amina,
        "first-steps",
        at(2026, 1, 5),
        Some(at(2026, 1, 15)),
        old,
    )
    .await;
    enrol(
        &app,
        &bilal,
        "first-steps",
        at(2026, 1, 20),
        Some(at(2026, 2, 9)),
        old,
    )
    .await;
    enrol(&app, &bilal, "next-steps", at(2026, 2, 12), None, old).await;
    enrol(
        &app,
        &chen,
        "next-steps",
        at(2026, 1, 10),
        Some(at(2026, 2, 14)),
        old,
    )
    .await;
    enrol(&app, &dara, "next-steps", at(2026, 2, 1), None, Utc::now()).await;
    certify(&app, &amina, "first-steps", at(2026, 1, 15)).await;
    certify(&app, &bilal, "first-steps", at(2026, 2, 9)).await;
    let chen_certificate = certify(&app, &chen, "next-steps", at(2026, 2, 14)).await;
    record_outcome(
        &app,
        &amina,
        "job",
        day(2026, 2, 10),
        "Warehouse operative at Acme",
    )
    .await;
    record_outcome(
        &app,
        &chen,
        "work_experience",
        day(2026, 2, 20),
        "Two weeks at a care home",
    )
    .await;
    record_outcome(&app, &chen, "further_training", day(2026, 3, 1), "").await;
    attempt(&app, &amina, 90, true, at(2026, 1, 14)).await;
    attempt(&app, &bilal, 40, false, at(2026, 2, 1)).await;
    // The rows above were written around the store, back-dated, as
    // `presto seed` writes them: count the reports' roll-up afresh.
    app.store.rebuild_report_rollup().await.unwrap();
    Fixture {
        app,
        amina,
        bilal,
        chen,
        class_a,
        class_b,
        chen_certificate,
    }
}

async fn coordinator(app: &TestApp) -> TestApp {
    let browser = app.another_browser();
    browser
        .add_user("coord", Role::Coordinator, "password123")
        .await;
    browser.sign_in("coord", "password123").await;
    browser
}

/// The text of the table cell with this class in the row for `row`.
fn cell(html: &str, row: &str, column: &str) -> String {
    let start = html
        .find(&format!("data-sector=\"{row}\""))
        .unwrap_or_else(|| panic!("no row {row}"));
    let rest = &html[start..];
    let rest = &rest[..rest.find("</tr>").unwrap()];
    let marker = format!("class=\"{column}\">");
    let from = rest
        .find(&marker)
        .unwrap_or_else(|| panic!("no {column} in {row}"))
        + marker.len();
    rest[from..from + rest[from..].find('<').unwrap()].to_string()
}

/// (started, active, completed, certified, rate, median) of a row.
fn figures(html: &str, row: &str) -> [String; 6] {
    [
        "started",
        "active",
        "completed",
        "certified",
        "rate",
        "median",
    ]
    .map(|c| cell(html, row, c))
}

fn strings(list: [&str; 6]) -> [String; 6] {
    list.map(str::to_string)
}

async fn dashboard_api(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = app
        .api(token)
        .get(&format!("/api/v1/reports/dashboard{query}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    body
}

async fn figures_match_the_hand_counted_data(backend: Backend) {
    let f = fixture(backend).await;
    let coord = coordinator(&f.app).await;

    let (status, html) = coord.page("/reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg") && html.contains("<title id=\"chart-completed-title\">"));
    assert!(
        html.contains("Of the enrolments started in the range"),
        "definitions shown"
    );
    assert_eq!(
        figures(&html, "warehousing"),
        strings(["2", "0", "2", "2", "100%", "15"])
    );
    assert_eq!(
        figures(&html, "care"),
        strings(["3", "1", "1", "1", "33.3%", "35"])
    );
    assert_eq!(
        figures(&html, "total"),
        strings(["5", "1", "3", "3", "60%", "20"])
    );

    // February: each figure on its own date.
    let (_, html) = coord.page("/reports?from=2026-02-01&to=2026-02-28").await;
    assert_eq!(
        figures(&html, "warehousing"),
        strings(["0", "0", "1", "1", "–", "20"])
    );
    assert_eq!(
        figures(&html, "care"),
        strings(["2", "1", "1", "1", "0%", "35"])
    );
    assert_eq!(
        figures(&html, "total"),
        strings(["2", "1", "2", "2", "0%", "27.5"])
    );

    // Class A: its members in its course (bilal's next-steps is not in it).
    let (_, html) = coord.page(&format!("/reports?class={}", f.class_a)).await;
    assert_eq!(
        figures(&html, "total"),
        strings(["2", "0", "2", "2", "100%", "15"])
    );
    assert!(!html.contains("data-sector=\"care\""));
    let (_, html) = coord.page("/reports?sector=care").await;
    assert_eq!(
        figures(&html, "total"),
        strings(["3", "1", "1", "1", "33.3%", "35"])
    );

    // The API gives the same figures.
    let token = f.app.token_for("coord-api", Role::Coordinator).await;
    let api = dashboard_api(&f.app, &token, "").await;
    assert_eq!(api["total"]["started"], 5);
    assert_eq!(api["total"]["completion_rate"], 60.0);
    assert_eq!(api["total"]["median_days_to_complete"], 20.0);

    // The funder report, per sector and month, page and CSV alike.
    let expected = [
        "sector,month,started,completed,certified,work_experience,job,further_training",
        "care,2026-01,1,0,0,0,0,0",
        "care,2026-02,2,1,1,1,0,0",
        "care,2026-03,0,0,0,0,0,1",
        "warehousing,2026-01,2,1,1,0,0,0",
        "warehousing,2026-02,0,1,1,0,1,0",
        "total,,5,3,3,1,1,1",
    ];
    let csv = coord.get("/reports/funder.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    // After the byte-order mark (exports_open_in_excel_with_every_script_intact).
    let csv = csv.strip_prefix('\u{feff}').expect("the byte-order mark");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines, expected);
    let (status, html) = coord.page("/reports/funder").await;
    assert_eq!(status, StatusCode::OK);
    for line in &expected[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        let row_marker = if cells[0] == "total" {
            "data-sector=\"total\"".to_string()
        } else {
            format!("data-sector=\"{}\" data-month=\"{}\"", cells[0], cells[1])
        };
        let start = html
            .find(&row_marker)
            .unwrap_or_else(|| panic!("no row {line}"));
        let row = &html[start..start + html[start..].find("</tr>").unwrap()];
        for (column, value) in [
            "started",
            "completed",
            "certified",
            "work_experience",
            "job",
            "further_training",
        ]
        .iter()
        .zip(&cells[2..])
        {
            assert!(
                row.contains(&format!("class=\"{column}\">{value}<")),
                "{line}: {column} on the page"
            );
        }
    }
    let (status, api) = f
        .app
        .api(&token)
        .get("/api/v1/reports/funder?sector=care")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api["total"]["started"], 3);
    assert_eq!(api["total"]["work_experience"], 1);
    assert_eq!(api["rows"].as_array().unwrap().len(), 3);
    let (_, html) = coord
        .page(&format!("/reports/funder?class={}", f.class_b))
        .await;
    assert!(html.contains("data-sector=\"care\" data-month=\"2026-03\""));
    assert!(!html.contains("data-sector=\"warehousing\""));
}

async fn exports_carry_the_rows(backend: Backend) {
    let f = fixture(backend).await;
    let coord = coordinator(&f.app).await;
    let response = coord.get("/reports/completions.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0]
            .strip_prefix('\u{feff}')
            .expect("the byte-order mark"),
        "username,full_name,course_slug,sector,enrolled_at,completed_at,certificate_id"
    );
    assert_eq!(lines.len(), 4, "three completions: {csv}");
    assert!(lines[1].starts_with(
        "amina,Amina Yusuf,first-steps,warehousing,2026-01-05T10:00:00Z,2026-01-15T10:00:00Z,"
    ));
    // The formula is defused with a leading quote.
    assert!(
        lines[2].starts_with("bilal,\"'=HYPERLINK(\"\"x\"\")\",first-steps"),
        "{}",
        lines[2]
    );
    let chen_id = CertificateId::parse(&f.chen_certificate)
        .unwrap()
        .to_string();
    assert!(lines[3].starts_with("chen,Chen Wei,next-steps,care,") && lines[3].ends_with(&chen_id));

    // The API's contract: the same file with a bearer token (not JSON, so
    // asked for by hand).
    let token = f.app.token_for("coord-api", Role::Coordinator).await;
    let api = f
        .app
        .client
        .get(f.app.url("/api/v1/reports/completions.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    assert_eq!(api.text().await.unwrap(), csv);
    let openapi: Value = f
        .app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(openapi["paths"]["/api/v1/reports/completions.csv"]["get"].is_object());
    assert!(openapi["paths"]["/api/v1/learners/{id}/erase"]["post"].is_object());

    let progress = coord
        .get("/reports/progress.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(progress.starts_with("\u{feff}username,full_name,course_slug,lesson_id,kind,completed_at,best_score,passed,attempts,updated_at\r\n"));

    let xapi = coord.get("/reports/xapi.jsonl").await.text().await.unwrap();
    let statements: Vec<Value> = xapi
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    let verbs = |word: &str| {
        statements
            .iter()
            .filter(|s| s["verb"]["id"] == format!("http://adlnet.gov/expapi/verbs/{word}"))
            .count()
    };
    assert_eq!(verbs("attempted"), 5, "one per enrolment");
    assert_eq!(verbs("completed"), 3, "one per completed course");
    assert_eq!(verbs("passed"), 1);
    assert_eq!(verbs("failed"), 1);
    let passed = statements
        .iter()
        .find(|s| s["verb"]["display"]["en-US"] == "passed")
        .unwrap();
    assert_eq!(passed["actor"]["account"]["name"], "amina");
    assert_eq!(passed["result"]["score"]["scaled"], 0.9);
    assert!(
        passed["object"]["id"]
            .as_str()
            .unwrap()
            .ends_with("/courses/first-steps/lessons/first-quiz")
    );
    assert!(!xapi.contains("Amina Yusuf") && !xapi.contains("someone@example.org"));
    let again = coord.get("/reports/xapi.jsonl").await.text().await.unwrap();
    assert_eq!(again, xapi, "the same ids on every export");
}

async fn personal_data_and_erasure(backend: Backend) {
    let f = fixture(backend).await;
    let coord = coordinator(&f.app).await;
    let (_, before_dashboard) = coord.page("/reports").await;
    let before_funder = coord.get("/reports/funder.csv").await.text().await.unwrap();

    // Everything about chen, and nothing about anyone else.
    let response = coord
        .get(&format!("/learners/{}/data.json", f.chen.id))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let data: Value = response.json().await.unwrap();
    assert_eq!(data["account"]["full_name"], "Chen Wei");
    assert!(data["account"].get("password_hash").is_none());
    assert_eq!(data["enrolments"].as_array().unwrap().len(), 1);
    assert_eq!(data["certificates"].as_array().unwrap().len(), 1);
    assert_eq!(data["outcomes"].as_array().unwrap().len(), 2);
    assert_eq!(data["classes"][0]["class_id"], f.class_b);
    let text = data.to_string();
    assert!(text.contains("Two weeks at a care home"));
    assert!(
        !text.contains("Amina") && !text.contains("Warehouse operative") && !text.contains("bilal")
    );
    let amina: Value = coord
        .get(&format!("/learners/{}/data.json", f.amina.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        amina["quiz_attempts"][0]["answers"]["q1"]["choice"][0],
        "secret answer"
    );

    // The learner page finds them; a wrong confirmation erases nothing.
    let (_, found) = coord.page("/learners?q=CHEN").await;
    assert!(found.contains(&format!("/learners/{}", f.chen.id)));
    let response = coord
        .post_form(
            &format!("/learners/{}/erase", f.chen.id),
            &[("confirm", "amina")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Nothing was erased")
    );
    let chen_token = f.app.token("chen", "password123").await;

    let response = coord
        .post_form(
            &format!("/learners/{}/erase", f.chen.id),
            &[("confirm", "chen")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = coord.page(&format!("/learners/{}", f.chen.id)).await;
    assert!(page.contains("Erased learner") && !page.contains("Chen Wei"));

    // The counts are the same.
    let (_, after_dashboard) = coord.page("/reports").await;
    for row in ["warehousing", "care", "total"] {
        assert_eq!(
            figures(&after_dashboard, row),
            figures(&before_dashboard, row),
            "{row}"
        );
    }
    let after_funder = coord.get("/reports/funder.csv").await.text().await.unwrap();
    assert_eq!(after_funder, before_funder);

    // The name is gone: exports, the certificate, the data export.
    let csv = coord
        .get("/reports/completions.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("Chen") && !csv.contains("chen,"));
    assert!(csv.contains(&format!("erased-{},,next-steps", f.chen.id)));
    let (_, verify) = f
        .app
        .api("")
        .get(&format!("/api/v1/certificates/{}", f.chen_certificate))
        .await;
    assert_eq!(verify["status"], "revoked");
    assert_eq!(verify["reason"], "erased");
    assert_eq!(verify["name"], "");
    let (_, verify_page) = f.app.page(&format!("/verify/{}", f.chen_certificate)).await;
    assert!(!verify_page.contains("Chen"));
    let data: Value = coord
        .get(&format!("/learners/{}/data.json", f.chen.id))
        .await
        .json()
        .await
        .unwrap();
    let text = data.to_string();
    assert!(
        !text.contains("Chen")
            && !text.contains("someone@example.org")
            && !text.contains("care home")
    );
    assert!(data["account"]["erased_at"].is_string());

    // The account is closed: no sign-in, no token.
    let sign_in = f
        .app
        .another_browser()
        .post_form(
            "/login",
            &[("username", "chen"), ("password", "password123")],
        )
        .await;
    assert_ne!(sign_in.status(), StatusCode::SEE_OTHER);
    let (status, _) = f.app.api(chen_token).get("/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(f.app.store.account(f.chen.id).await.unwrap().is_none());

    // Erasing again through the API is a conflict, not a second erasure.
    let api_token = f.app.token_for("coord-api", Role::Coordinator).await;
    let (status, _) = f
        .app
        .api(api_token)
        .post(
            &format!("/api/v1/learners/{}/erase", f.chen.id),
            serde_json::json!({"confirm": format!("erased-{}", f.chen.id)}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let _ = f.bilal;
}

async fn bad_filters_and_outcomes_are_refused_clearly(backend: Backend) {
    let f = fixture(backend).await;
    let coord = coordinator(&f.app).await;
    for (query, words) in [
        ("?sector=plumbing", "no sector called"),
        ("?from=31/01/2026", "is not a date"),
        ("?from=2026-03-01&to=2026-02-01", "after the end date"),
        ("?class=99999", "no class number 99999"),
        ("?class=abc", "no class number abc"),
    ] {
        let (status, html) = coord.page(&format!("/reports{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(html.contains(words), "{query}: {words}");
    }
    let token = f.app.token_for("coord-api", Role::Coordinator).await;
    let api = f.app.api(&token);
    let (status, body) = api.get("/api/v1/reports/funder?to=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad_request");
    assert!(
        body["message"].as_str().unwrap().contains("yesterday"),
        "{body}"
    );
    let (status, body) = api.get("/api/v1/reports/dashboard?class=99999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("no class number 99999"),
        "{body}"
    );

    // Outcomes: the form records one; a bad one says why.
    let path = format!("/learners/{}/outcomes", f.bilal.id);
    let response = coord
        .post_form(
            &path,
            &[
                ("kind", "job"),
                ("happened_on", "2026-03-02"),
                ("note", "Forklift driver"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = coord.page(&format!("/learners/{}", f.bilal.id)).await;
    assert!(page.contains("Forklift driver") && page.contains("2026-03-02"));
    let response = coord
        .post_form(&path, &[("kind", "holiday"), ("happened_on", "2026-03-02")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Choose what happened")
    );
    let response = coord
        .post_form(&path, &[("kind", "job"), ("happened_on", "2999-01-01")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let api_path = path.replace("/learners", "/api/v1/learners");
    let (status, created) = api
        .post(
            &api_path,
            serde_json::json!({"kind": "further_training", "happened_on": "2026-03-03"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["happened_on"], "2026-03-03");
    let (status, list) = api.get(&api_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["kind"], "further_training");
    let (status, _) = coord.page("/learners/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api.get("/api/v1/learners/999999/outcomes").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message"], "There is no learner 999999.");
}

/// The dashboard and the funder report sum a daily roll-up kept in the
/// same transactions as enrolling, completing, issuing and revoking. Built
/// here through those real paths (pages, revocation, erasure), the roll-up
/// must give exactly what counting the events gives, for every filter, and
/// counting it afresh must change nothing.
async fn the_daily_rollup_agrees_with_the_events(backend: Backend) {
    use presto::reports::{Filter, FilterInput};

    let app = TestApp::spawn(backend).await;
    course::Entity::update_many()
        .col_expr(course::Column::Sector, Expr::value("care"))
        .filter(course::Column::Slug.eq("next-steps"))
        .exec(app.store.db())
        .await
        .unwrap();
    let mut accounts = Vec::new();
    let mut browsers = Vec::new();
    for name in ["amina", "bilal", "chen", "dara"] {
        let learner = app.another_browser();
        accounts.push(learner.learner(name).await);
        if name == "dara" {
            // Enrolled, nothing done.
            learner.post_form("/courses/first-steps/enrol", &[]).await;
        } else {
            learner.complete_first_steps().await;
            // Submitting the passed quiz again completes nothing twice.
            learner
                .submit_quiz("first-steps", "first-quiz", true, None)
                .await;
        }
        if name == "chen" {
            learner.post_form("/courses/next-steps/enrol", &[]).await;
        }
        browsers.push(learner);
    }
    let certificate_of = |index: usize| {
        let store = app.store.clone();
        let user = accounts[index].id;
        async move {
            let id = store.certificates_of(user).await.unwrap().remove(0).id;
            CertificateId::parse(&id).unwrap()
        }
    };
    // Bilal's certificate is revoked: it no longer counts. Chen is erased:
    // his certificate is revoked as erased and still counts.
    let bilal_certificate = certificate_of(1).await;
    app.store
        .revoke_certificate(&bilal_certificate, "Issued in error")
        .await
        .unwrap()
        .unwrap();
    app.store.erase_learner(accounts[2].id).await.unwrap();

    let today = Utc::now().date_naive();
    let filter = |sector: &str, from: Option<NaiveDate>, to: Option<NaiveDate>| {
        Filter::parse(
            &FilterInput {
                sector: sector.into(),
                class: String::new(),
                from: from.map(|d| d.to_string()).unwrap_or_default(),
                to: to.map(|d| d.to_string()).unwrap_or_default(),
            },
            &presto::course::Sectors::default(),
        )
        .unwrap()
    };
    let filters = [
        filter("", None, None),
        filter("warehousing", None, None),
        filter("care", None, None),
        filter("", Some(today), Some(today)),
        filter("", today.succ_opt(), None),
        filter("", None, today.pred_opt()),
        filter("care", Some(today), None),
    ];
    let now = Utc::now();
    let agree = |label: &'static str| {
        let store = app.store.clone();
        let filters = filters.clone();
        async move {
            for f in &filters {
                assert_eq!(
                    store.dashboard(f, now).await.unwrap(),
                    store.dashboard_from_events(f, now).await.unwrap(),
                    "{label}: dashboard for {f:?}"
                );
                assert_eq!(
                    store.funder_report(f).await.unwrap(),
                    store.funder_report_from_events(f).await.unwrap(),
                    "{label}: funder report for {f:?}"
                );
            }
        }
    };
    agree("kept in step").await;

    // And the figures are the ones a person counts.
    let (_, total) = app.store.dashboard(&filters[0], now).await.unwrap();
    assert_eq!(total.started, 5, "four on first-steps, chen on next-steps");
    assert_eq!(total.active, 5);
    assert_eq!(total.completed, 3);
    assert_eq!(total.certified, 2, "bilal's revoked certificate is out");
    assert_eq!(total.completion_rate, Some(60.0));
    assert_eq!(total.median_days_to_complete, Some(0.0));
    let (care, _) = app.store.dashboard(&filters[2], now).await.unwrap();
    assert_eq!(care.len(), 1);
    assert_eq!((care[0].started, care[0].completed), (1, 0));
    let (_, tomorrow) = app.store.dashboard(&filters[4], now).await.unwrap();
    assert_eq!((tomorrow.started, tomorrow.completed), (0, 0));
    let funder = app.store.funder_report(&filters[0]).await.unwrap();
    assert_eq!(
        (
            funder.total.started,
            funder.total.completed,
            funder.total.certified
        ),
        (5, 3, 2)
    );

    // Counted afresh from the events, the roll-up is the same.
    app.store.rebuild_report_rollup().await.unwrap();
    agree("rebuilt").await;
    assert_eq!(
        app.store.dashboard(&filters[0], now).await.unwrap().1,
        total
    );

    // Activity moves an enrolment from day to day. Dara last worked 40
    // days ago (written around the store, then counted afresh, as a seed
    // would): she is not active. She opens a lesson today: she is again.
    enrolment::Entity::update_many()
        .col_expr(
            enrolment::Column::LastActiveAt,
            Expr::value(now - chrono::Duration::days(40)),
        )
        .filter(enrolment::Column::UserId.eq(accounts[3].id))
        .exec(app.store.db())
        .await
        .unwrap();
    app.store.rebuild_report_rollup().await.unwrap();
    let active = |store: presto::store::Store| async move {
        store
            .dashboard(&Filter::default(), Utc::now())
            .await
            .unwrap()
            .1
            .active
    };
    assert_eq!(active(app.store.clone()).await, 4);
    let (status, _) = browsers[3].page("/courses/first-steps/lessons/shoes").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(active(app.store.clone()).await, 5);
    agree("after moving").await;
}

/// A database from before `erased-` was kept for erasure can hold accounts
/// named `erased-<id>` (anyone could register one). Erasing that learner
/// still works, through the page and the API, gives a name nobody holds,
/// and leaves those accounts as they were.
async fn erasing_never_collides_with_an_existing_username(backend: Backend) {
    use presto::store::users::user;
    let app = TestApp::spawn(backend).await;
    let coord = coordinator(&app).await;
    let chen = person(&app, "chen", "Chen Wei").await;
    let dara = person(&app, "dara", "Dara Noor").await;
    // As such accounts were made then: past today's parser.
    for squatter in [
        format!("erased-{}", chen.id),
        format!("erased-{}-2", chen.id),
        format!("erased-{}", dara.id),
    ] {
        user::ActiveModel {
            username: Set(squatter.clone()),
            full_name: Set("Squatter".into()),
            email: Set(None),
            role: Set(Role::Learner.as_str().into()),
            password_hash: Set(hash_password("password123").unwrap()),
            language: Set("en".into()),
            created_at: Set(presto::store::now()),
            erased_at: Set(None),
            ..Default::default()
        }
        .insert(app.store.db())
        .await
        .unwrap();
    }

    let page = coord
        .post_form(
            &format!("/learners/{}/erase", chen.id),
            &[("confirm", "chen")],
        )
        .await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert!(
        app.store.account(chen.id).await.unwrap().is_none(),
        "erased"
    );
    let erased = user::Entity::find_by_id(chen.id)
        .one(app.store.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erased.username, format!("erased-{}-3", chen.id));
    assert_eq!(erased.full_name, "");

    let token = app.token_for("coord-api", Role::Coordinator).await;
    let (status, body) = app
        .api(token)
        .post(
            &format!("/api/v1/learners/{}/erase", dara.id),
            serde_json::json!({"confirm": "dara"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["username"], format!("erased-{}-2", dara.id));
    assert!(app.store.account(dara.id).await.unwrap().is_none());

    // The squatters are untouched and can still sign in.
    let squatter = format!("erased-{}", chen.id);
    let (account, _) = app.store.credentials(&squatter).await.unwrap().unwrap();
    assert_eq!(account.full_name, "Squatter");
    app.another_browser()
        .sign_in(&squatter, "password123")
        .await;
}

/// A database that fails while the report filter's class is looked up is
/// a server error (500), on the page and in the API, not a 400 saying the
/// class is bad; the class's existence was never decided.
async fn a_failing_database_is_not_a_bad_class(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn(backend).await;
    let coord = coordinator(&app).await;
    let token = app.token_for("coord-api", Role::Coordinator).await;
    let tutor = app.add_user("tutor", Role::Tutor, "password123").await.id;
    let class = app
        .store
        .create_class(tutor, "Class A", "warehousing", &["first-steps".into()])
        .await
        .unwrap()
        .id;
    let query = format!("?class={class}");
    let (status, _) = coord.page(&format!("/reports{query}")).await;
    assert_eq!(status, StatusCode::OK, "the class is there");

    app.store
        .db()
        .execute_unprepared("ALTER TABLE classes RENAME TO classes_away")
        .await
        .unwrap();
    for path in ["/reports", "/reports/funder", "/reports/funder.csv"] {
        let (status, html) = coord.page(&format!("{path}{query}")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert!(!html.contains("no class number"), "{path}: {html}");
    }
    let api = app.api(token);
    for path in ["/api/v1/reports/dashboard", "/api/v1/reports/funder"] {
        let (status, body) = api.get(&format!("{path}{query}")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert_eq!(body["error"], "internal", "{path}");
    }
    // A filter with no class asks nothing of the missing table.
    let (status, _) = api.get("/api/v1/reports/dashboard?sector=care").await;
    assert_eq!(status, StatusCode::OK);
}

/// What one action came to, whichever way it was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    Refused,
    Invalid,
    NotFound,
    Conflict,
}

fn outcome_of(status: StatusCode) -> Outcome {
    match status {
        StatusCode::OK | StatusCode::CREATED | StatusCode::SEE_OTHER => Outcome::Done,
        StatusCode::FORBIDDEN => Outcome::Refused,
        StatusCode::BAD_REQUEST => Outcome::Invalid,
        StatusCode::NOT_FOUND => Outcome::NotFound,
        StatusCode::CONFLICT => Outcome::Conflict,
        other => panic!("unexpected {other}"),
    }
}

/// Adding an outcome and erasing a learner, through the page and through
/// the API, by the same actor with the same input, come to the same thing:
/// a tutor is refused, bad input is refused as bad, a missing learner is
/// not found, a coordinator's good input is done.
async fn page_and_api_agree_on_outcomes_and_erasure(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut learners = Vec::new();
    for name in ["amina", "bilal", "chen", "dara"] {
        learners.push(person(&app, name, "Some Learner").await);
    }
    let mut actors = Vec::new();
    for (name, role) in [("tutor", Role::Tutor), ("coord", Role::Coordinator)] {
        let browser = app.another_browser();
        let token = browser.token_for(name, role).await;
        browser.sign_in(name, "password123").await;
        actors.push((role, browser, token));
    }

    // (actor, learner, kind, date, expected)
    let outcomes = [
        (Role::Tutor, 0, "job", "2026-03-02", Outcome::Refused),
        (
            Role::Coordinator,
            0,
            "holiday",
            "2026-03-02",
            Outcome::Invalid,
        ),
        (Role::Coordinator, 0, "job", "2999-01-01", Outcome::Invalid),
        (Role::Coordinator, 0, "job", "2/3/2026", Outcome::Invalid),
        (
            Role::Coordinator,
            99,
            "job",
            "2026-03-02",
            Outcome::NotFound,
        ),
        (Role::Coordinator, 0, "job", "2026-03-02", Outcome::Done),
    ];
    for (role, learner, kind, date, expected) in outcomes {
        let (_, browser, token) = actors.iter().find(|(r, ..)| *r == role).unwrap();
        let id = learners.get(learner).map_or(999_999, |l| l.id);
        let page = browser
            .post_form(
                &format!("/learners/{id}/outcomes"),
                &[("kind", kind), ("happened_on", date), ("note", "A note")],
            )
            .await
            .status();
        let (api, _) = app
            .api(token)
            .post(
                &format!("/api/v1/learners/{id}/outcomes"),
                serde_json::json!({"kind": kind, "happened_on": date, "note": "A note"}),
            )
            .await;
        let case = format!("{role:?} adds {kind} on {date} for learner {learner}");
        assert_eq!(outcome_of(page), expected, "page: {case}");
        assert_eq!(outcome_of(api), expected, "API: {case}");
    }
    let recorded = app.store.outcomes_of(learners[0].id).await.unwrap();
    assert_eq!(recorded.len(), 2, "one from the page, one from the API");

    // Erasing: the page erases one learner and the API another, each
    // with its own username typed to confirm.
    let erasures = [
        (Role::Tutor, [0, 1], None, Outcome::Refused),
        (
            Role::Coordinator,
            [0, 1],
            Some("somebody"),
            Outcome::Invalid,
        ),
        (Role::Coordinator, [0, 1], Some(""), Outcome::Invalid),
        (Role::Coordinator, [98, 99], None, Outcome::NotFound),
        (Role::Coordinator, [0, 1], None, Outcome::Done),
        (Role::Coordinator, [2, 3], None, Outcome::Done),
    ];
    for (role, [for_page, for_api], confirm, expected) in erasures {
        let (_, browser, token) = actors.iter().find(|(r, ..)| *r == role).unwrap();
        let target = |index: usize| {
            learners
                .get(index)
                .map_or((999_999, "nobody".to_string()), |l| {
                    (l.id, l.username.clone())
                })
        };
        let (page_id, page_name) = target(for_page);
        let (api_id, api_name) = target(for_api);
        let page = browser
            .post_form(
                &format!("/learners/{page_id}/erase"),
                &[("confirm", confirm.unwrap_or(&page_name))],
            )
            .await
            .status();
        let (api, _) = app
            .api(token)
            .post(
                &format!("/api/v1/learners/{api_id}/erase"),
                serde_json::json!({"confirm": confirm.unwrap_or(&api_name)}),
            )
            .await;
        let case = format!("{role:?} erases with {confirm:?}");
        assert_eq!(outcome_of(page), expected, "page: {case}");
        assert_eq!(outcome_of(api), expected, "API: {case}");
    }
    for learner in &learners {
        assert!(
            app.store.account(learner.id).await.unwrap().is_none(),
            "{} erased",
            learner.username
        );
    }
}

/// Every CSV export starts with the UTF-8 byte-order mark (Excel reads a
/// CSV without one in the computer's legacy code page: Arabic, Ukrainian
/// and Ethiopic names come out as mojibake), once, and still parses as CSV
/// with its header first, the names intact. The API gives the same bytes.
async fn exports_open_in_excel_with_every_script_intact(backend: Backend) {
    let f = fixture(backend).await;
    for (username, name) in [
        ("layla", "ليلى حسن"),
        ("olena", "Олена Шевченко"),
        ("selam", "ሰላም ተስፋዬ"),
    ] {
        let account = person(&f.app, username, name).await;
        enrol(
            &f.app,
            &account,
            "first-steps",
            at(2026, 1, 6),
            Some(at(2026, 1, 16)),
            at(2026, 3, 1),
        )
        .await;
    }
    f.app.store.rebuild_report_rollup().await.unwrap();
    let coord = coordinator(&f.app).await;
    let token = f.app.token_for("coord-api", Role::Coordinator).await;
    for (path, first) in [
        ("/reports/completions.csv", "username"),
        ("/reports/progress.csv", "username"),
        ("/reports/funder.csv", "sector"),
    ] {
        let response = coord.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(
            &bytes[..3],
            [0xEF, 0xBB, 0xBF],
            "{path} starts with the BOM"
        );
        assert!(
            !bytes[3..].windows(3).any(|w| w == [0xEF, 0xBB, 0xBF]),
            "{path}: the mark is written once, not per page of rows"
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(false)
            .from_reader(&bytes[3..]);
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(
            &records[0][0], first,
            "{path}: the header, not a mark, comes first"
        );
        if path != "/reports/progress.csv" {
            assert!(records.len() > 1, "{path} has rows");
        }
        if path == "/reports/completions.csv" {
            for name in ["ليلى حسن", "Олена Шевченко", "ሰላም ተስፋዬ"]
            {
                assert!(
                    records.iter().any(|r| &r[1] == name),
                    "{name} intact in {path}"
                );
            }
        }
        let api = f
            .app
            .client
            .get(f.app.url(&format!("/api/v1{path}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::OK);
        assert_eq!(
            api.bytes().await.unwrap(),
            bytes,
            "{path}: the API's file is the same"
        );
    }
}

/// The dashboard's and funder report's class filter is a list of the
/// classes by name (with "All classes"), sending the id as before: a
/// coordinator picks "Class A" and gets its figures; the id typed into a
/// link still works; a tutor, who may not see reports, gets no list of
/// anybody's classes.
async fn the_class_filter_lists_classes_by_name(backend: Backend) {
    let f = fixture(backend).await;
    let other_tutor = f
        .app
        .add_user("other-tutor", Role::Tutor, "password123")
        .await;
    f.app
        .store
        .create_class(
            other_tutor.id,
            "Zed's <secret> class",
            "care",
            &["next-steps".into()],
        )
        .await
        .unwrap();
    let coord = coordinator(&f.app).await;
    for path in ["/reports", "/reports/funder"] {
        let (status, html) = coord.page(path).await;
        assert_eq!(status, StatusCode::OK);
        let select = html
            .split(r#"<select id="class" name="class">"#)
            .nth(1)
            .and_then(|rest| rest.split("</select>").next())
            .unwrap_or_else(|| panic!("{path}: a class list: {html}"));
        let options: Vec<&str> = select
            .split("<option ")
            .skip(1)
            .map(|o| o.split('>').nth(1).unwrap().trim_end_matches("</option"))
            .collect();
        assert_eq!(
            options,
            [
                "All classes",
                "Class A",
                "Class B",
                "Zed&#39;s &lt;secret&gt; class"
            ],
            "{path}: by name, escaped"
        );
        assert!(select.contains(&format!(r#"value="{}">Class A<"#, f.class_a)));
        assert!(!html.contains(r#"inputmode="numeric""#), "no number box");
    }
    // Choosing Class A sends its id: the figures are Class A's, and the
    // list shows it chosen.
    let (status, html) = coord.page(&format!("/reports?class={}", f.class_a)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        figures(&html, "total"),
        strings(["2", "0", "2", "2", "100%", "15"])
    );
    assert!(html.contains(&format!(r#"value="{}" selected>Class A<"#, f.class_a)));
    // Class B: chen and dara (bilal's next-steps is not in it).
    let (_, html) = coord.page(&format!("/reports?class={}", f.class_b)).await;
    assert_eq!(
        figures(&html, "total"),
        strings(["2", "1", "1", "1", "50%", "35"])
    );
    // A bad id still gets its clear message, with the list to choose from.
    let (status, html) = coord.page("/reports?class=99999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("no class number 99999") && html.contains(">Class B</option>"));

    // A tutor may not see reports, so never the list of classes either.
    let tutor = f.app.another_browser();
    tutor.sign_in("tutor", "password123").await;
    for path in ["/reports", "/reports/funder", "/reports?class=1"] {
        let (status, html) = tutor.page(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            !html.contains("secret") && !html.contains("Class B"),
            "{path}"
        );
    }
}
