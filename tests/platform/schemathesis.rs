//! schemathesis (pinned in `tests/schemathesis/requirements.txt`) over
//! every operation of the JSON API with all its checks, as a learner and as
//! a tutor: the OpenAPI document must say exactly what the server accepts
//! and answers. `tests/schemathesis/run` holds the options.
//!
//! Needs the schemathesis executable (`.ci/run` installs it into
//! `tests/schemathesis/.venv`). Where it is missing the test says so and
//! passes, except in CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Backend, TestApp};

/// Ends every token of the account, so each role's run leaves it to last.
const SIGN_OUT_EVERYWHERE: &str = "/api/v1/auth/sign-out-everywhere";

fn runner() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/run")
}

/// The schemathesis executable: `SCHEMATHESIS`, else the one in
/// `tests/schemathesis/.venv`, else the one on PATH. `None` (outside CI)
/// when there is none.
fn schemathesis() -> Option<String> {
    let venv =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/.venv/bin/schemathesis");
    let candidate = std::env::var("SCHEMATHESIS").ok().unwrap_or_else(|| {
        if venv.exists() {
            venv.display().to_string()
        } else {
            "schemathesis".to_string()
        }
    });
    let outcome = Command::new(&candidate).arg("--version").output();
    match outcome {
        Ok(output) if output.status.success() => Some(candidate),
        outcome if std::env::var_os("CI").is_none() => {
            eprintln!(
                "API description not checked: schemathesis is missing ({candidate}: {outcome:?}); \
                 run `python3 -m venv tests/schemathesis/.venv && \
                 tests/schemathesis/.venv/bin/pip install -r tests/schemathesis/requirements.txt`"
            );
            None
        }
        outcome => panic!("schemathesis is needed in CI ({candidate}): {outcome:?}"),
    }
}

/// What the calls can find, for schemathesis to use in paths now and then
/// besides what it makes up (`[dictionaries]` in its config).
struct Found {
    class: i64,
    session: i64,
    learner: i32,
}

/// `tests/schemathesis/schemathesis.toml` with the identifiers of this run.
fn config(found: &Found) -> String {
    let fixed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/schemathesis.toml"),
    )
    .expect("tests/schemathesis/schemathesis.toml");
    let Found {
        class,
        session,
        learner,
    } = found;
    format!(
        r#"{fixed}
[dictionaries.slug]
values = ["first-steps"]
[dictionaries.lesson]
values = ["hello", "first-quiz"]
[dictionaries.class]
values = [{class}]
[dictionaries.session]
values = [{session}]
[dictionaries.learner]
values = [{learner}]

[parameters]
"path.slug" = {{ dictionary = "slug", probability = 0.5 }}
"path.session" = {{ dictionary = "session", probability = 0.5 }}
"path.user" = {{ dictionary = "learner", probability = 0.5 }}
"path.class" = {{ dictionary = "class", probability = 0.5 }}

[[operations]]
include-path-regex = "^/api/v1/courses/"
parameters = {{ "path.id" = {{ dictionary = "lesson", probability = 0.5 }} }}

[[operations]]
include-path-regex = "^/api/v1/classes/"
parameters = {{ "path.id" = {{ dictionary = "class", probability = 0.5 }} }}

[[operations]]
include-path-regex = "^/api/v1/learners/"
parameters = {{ "path.id" = {{ dictionary = "learner", probability = 0.5 }} }}
"#
    )
}

/// One schemathesis run; its report when it found something.
async fn run(
    schemathesis: &str,
    config: &Path,
    base: &str,
    token: &str,
    label: &str,
    extra: &[&str],
) -> Option<String> {
    let mut command = Command::new(runner());
    command
        .env("SCHEMATHESIS", schemathesis)
        .env("PRESTO_SCHEMATHESIS_CONFIG", config)
        .arg(base)
        .arg(token)
        .args(extra);
    let started = std::time::Instant::now();
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("schemathesis waited for")
        .expect("tests/schemathesis/run starts");
    let report = format!(
        "== schemathesis as the {label} ({:.0?}): {}\n{}{}",
        started.elapsed(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    eprintln!(
        "schemathesis as the {label}: {} in {:.0?}",
        output.status,
        started.elapsed()
    );
    (!output.status.success()).then_some(report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_in_the_api() {
    let Some(schemathesis) = schemathesis() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;

    // Something for the calls to find: a class with a learner in it, a
    // session, an enrolment.
    let tutor_token = app.token_for("tutor-tamar", Role::Tutor).await;
    let learner_account = app
        .add_user("learner-lidia", Role::Learner, "password123")
        .await;
    let learner_token = app.token("learner-lidia", "password123").await;
    let tutor = app.api(tutor_token.clone());
    let learner = app.api(learner_token.clone());
    let (status, class) = tutor
        .post(
            "/api/v1/classes",
            json!({"name": "Warehouse English", "courses": ["first-steps"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{class}");
    let class_id = class["id"].as_i64().expect("class id");
    let (status, joined) = learner
        .post("/api/v1/classes/join", json!({"code": class["join_code"]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    let (status, session) = tutor
        .post(
            &format!("/api/v1/classes/{class_id}/sessions"),
            json!({
                "title": "Reading the pick list",
                "starts_at": "2026-12-01T10:00:00Z",
                "duration_minutes": 60,
                "meeting_url": "https://meet.example.org/pick-list",
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let (status, enrolled) = learner
        .post("/api/v1/courses/first-steps/enrol", json!({}))
        .await;
    assert!(status.is_success(), "{status} {enrolled}");

    let found = Found {
        class: class_id,
        session: session["id"].as_i64().expect("session id"),
        learner: learner_account.id,
    };
    let folder = tempfile::TempDir::new().expect("temp dir");
    let config_path = folder.path().join("schemathesis.toml");
    std::fs::write(&config_path, config(&found)).expect("config written");

    let base = app.url("");
    let base = base.trim_end_matches('/');
    let mut findings = Vec::new();
    // Signing out everywhere ends the token, so each role runs it last; the
    // learner first, as the tutor's run may reset class members' passwords.
    for (label, token) in [("learner", &learner_token), ("tutor", &tutor_token)] {
        let runs = [
            (label.to_string(), "--exclude-path"),
            (format!("{label}, signing out everywhere"), "--include-path"),
        ];
        for (label, filter) in runs {
            let extra = [filter, SIGN_OUT_EVERYWHERE];
            findings.extend(run(&schemathesis, &config_path, base, token, &label, &extra).await);
        }
    }
    app.stop().await;
    assert!(
        findings.is_empty(),
        "schemathesis found mismatches between the API and its description:\n{}",
        findings.join("\n")
    );
}

/// A known path with a method it does not serve: 405 and `Allow`, on the
/// API (as JSON) and on pages; an unknown path stays a 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeclared_methods_answer_405_with_allow() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let client = reqwest::Client::new();
    let call = |method: &str, path: &str| {
        client
            .request(method.parse().expect("method"), app.url(path))
            .send()
    };
    for (method, path, allow) in [
        ("TRACE", "/api/v1/courses", "GET"),
        ("PUT", "/api/v1/auth/token", "POST"),
        ("GET", "/api/v1/auth/token", "POST"),
        // Not `GET /classes/{id}` with a bad id: `/classes/join` is its own path.
        ("GET", "/api/v1/classes/join", "POST"),
        ("DELETE", "/api/v1/classes/1", "GET, PATCH"),
        (
            "POST",
            "/api/v1/classes/1/sessions/2/attendance",
            "GET, PUT",
        ),
        ("PATCH", "/api/v1/openapi.json", "GET"),
        ("TRACE", "/api/v1/classes", "GET, POST"),
    ] {
        let response = call(method, path).await.expect("answered");
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        let allowed = response.headers()["allow"].to_str().unwrap().to_string();
        assert_eq!(allowed, allow, "{method} {path}");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["error"], "method_not_allowed", "{method} {path}");
        assert!(body["message"].as_str().unwrap().contains(method), "{body}");
    }
    // Without a token too: the method is wrong whoever asks.
    let response = call("TRACE", "/api/v1/me/progress").await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    for path in ["/api/v1/nothing", "/api/v1/classes/1/nothing"] {
        let response = call("TRACE", path).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }

    // Pages: a GET where only POST is served, and the other way round.
    for (method, path, allow) in [
        ("GET", "/classes/1/members", "POST"),
        ("POST", "/progress", "GET"),
    ] {
        let response = call(method, path).await.expect("answered");
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
    }
    assert_eq!(
        call("GET", "/no/such/page").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call("POST", "/no/such/page").await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    // The assets resource says so itself (actix's own 405).
    let response = call("POST", "/assets/app.css").await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    app.stop().await;
}
