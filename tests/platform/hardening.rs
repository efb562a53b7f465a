//! What an attacker tries against the request layer: redirects to another
//! site, secrets in the server's log, and bodies that never arrive. None of
//! these touch the database, so they run on SQLite only.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use presto::domain::names::Role;
use reqwest::StatusCode;

use crate::support::{Backend, TestApp, fixture_courses, location};

/// Values an attacker puts in `?next=` or `back=`. Every one of them must
/// send the browser to `/` on this site, and none may answer 5xx.
const HOSTILE_TARGETS: &[&str] = &[
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\nSet-Cookie: a=b",
    "\t//evil.example",
    " //evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\u{0}/evil.example",
    "/\u{7f}/evil.example",
    "/\u{85}/evil.example",
    "/\u{1b}[31m",
    ".//evil.example",
    "data:text/html,<script>alert(1)</script>",
    "",
];

fn assert_stays_home(response: &reqwest::Response, what: &str, hostile: &str) {
    assert!(
        !response.status().is_server_error(),
        "{what} with {hostile:?} answered {}",
        response.status()
    );
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{what} with {hostile:?}"
    );
    assert_eq!(location(response), "/", "{what} with {hostile:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_never_leave_the_site() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert!(HOSTILE_TARGETS.len() >= 20);
    app.add_user("amina", Role::Learner, "password123").await;

    // Signing in with each hostile `next`, each as someone else so the
    // sign-in throttle stays out of the way.
    for (n, hostile) in HOSTILE_TARGETS.iter().enumerate() {
        let username = format!("learner{n}");
        app.add_user(&username, Role::Learner, "password123").await;
        let visitor = app.another_browser();
        let csrf = visitor.csrf().await;
        let response = visitor
            .client
            .post(visitor.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username.as_str()),
                ("password", "password123"),
                ("next", hostile),
            ])
            .send()
            .await
            .unwrap();
        assert_stays_home(&response, "POST /login", hostile);

        // Once signed in, the sign-in page itself redirects to `next`.
        let response = visitor
            .client
            .get(visitor.url("/login"))
            .query(&[("next", hostile)])
            .send()
            .await
            .unwrap();
        assert_stays_home(&response, "GET /login", hostile);

        // The language picker's `back`.
        let response = visitor
            .post_form("/language", &[("lang", "ar"), ("back", hostile)])
            .await;
        assert_stays_home(&response, "POST /language", hostile);
    }

    // A path on the site is kept.
    let visitor = app.another_browser();
    let response = visitor
        .client
        .get(visitor.url("/login"))
        .query(&[("next", "/classes?x=1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    visitor.sign_in("amina", "password123").await;
    let response = visitor
        .client
        .get(visitor.url("/login"))
        .query(&[("next", "/progress")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/progress");
}

/// A `presto serve` process with its log (standard error) in a file.
struct LoggedServer {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
    _data: tempfile::TempDir,
}

impl Drop for LoggedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LoggedServer {
    async fn start() -> LoggedServer {
        let data = tempfile::TempDir::new().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let log = data.path().join("server.log");
        let child = Command::new(env!("CARGO_BIN_EXE_presto"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--courses")
            .arg(fixture_courses())
            .arg("--data")
            .arg(data.path())
            .env("RUST_LOG", "info")
            .env("PRESTO_WATCH_COURSES", "false")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let server = LoggedServer {
            child,
            port,
            log,
            _data: data,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while reqwest::get(server.url("/healthz")).await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_in_paths_stay_out_of_the_log() {
    let server = LoggedServer::start().await;
    // The one-time set-up link is printed on purpose at start, once.
    let log = server.log();
    let setup_token = log
        .split("/setup/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|token| token.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        .expect("the set-up link in the log")
        .to_string();
    assert!(setup_token.len() > 20);

    let client = crate::support::browser();
    let login = client
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::support::hidden_field(&login, "csrf").expect("a form token");
    let reset_token = "StillValidResetToken0123456789abcdefghij";
    // A request that fails inside the server is logged with its path. The
    // database loses the two tables these links read, so both fail (500)
    // and are logged: an outage is when tokens used to reach the log.
    let database = sea_orm::Database::connect(format!(
        "sqlite://{}",
        server._data.path().join("presto.db").display()
    ))
    .await
    .unwrap();
    use sea_orm::ConnectionTrait;
    database
        .execute_unprepared("DROP TABLE password_resets; DROP TABLE site_settings;")
        .await
        .unwrap();
    for path in [
        format!("/password/reset/{reset_token}"),
        format!("/setup/{setup_token}"),
    ] {
        let response = client
            .post(server.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "admin"),
                ("full_name", "Admin"),
                ("password", "a long enough password"),
                ("password_again", "a long enough password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{path}"
        );
    }
    // Log lines are written as they happen; give the writer a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut log = server.log();
    while log.matches("[redacted]").count() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        log = server.log();
    }
    assert!(
        log.contains("/password/reset/[redacted]") && log.contains("/setup/[redacted]"),
        "the failed requests are logged, without their tokens:\n{log}"
    );
    assert!(!log.contains(reset_token), "{log}");
    // The failure is logged with its cause chain, down to the database's
    // own words, so whoever reads the log knows what broke.
    assert!(
        log.contains("no such table: password_resets")
            && log.contains("no such table: site_settings"),
        "the database's own error is in the log:\n{log}"
    );
    assert_eq!(
        log.matches(setup_token.as_str()).count(),
        1,
        "the set-up token appears only in the start-up line:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stalls_is_cut() {
    let app = TestApp::spawn_configured(Backend::Sqlite, &fixture_courses(), |settings| {
        settings.body_timeout_secs = 1;
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        // A body of 100 bytes is announced; 9 come, then nothing.
        stream
            .write_all(
                b"POST /login HTTP/1.1\r\nHost: presto\r\n\
                  Content-Type: application/x-www-form-urlencoded\r\n\
                  Content-Length: 100\r\n\r\nusername=",
            )
            .unwrap();
        let mut answer = Vec::new();
        // Reads until the server closes the connection.
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    let waited = started.elapsed();
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "a stalled body gets 408: {answer}"
    );
    assert!(
        waited < Duration::from_secs(20),
        "the connection was held for {waited:?}"
    );

    // A body that arrives in pieces, each well inside the time, is read.
    let address = app.address.trim_start_matches("http://").to_string();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = "username=a&password=b";
        stream
            .write_all(
                format!(
                    "POST /login HTTP/1.1\r\nHost: presto\r\nConnection: close\r\n\
                     Content-Type: application/x-www-form-urlencoded\r\n\
                     Content-Length: {}\r\n\r\nusername=a",
                    body.len()
                )
                .as_bytes(),
            )
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        stream.write_all(b"&password=b").unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    // The form arrived whole: it is refused for its missing form token,
    // not for time.
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
}

/// `/favicon.ico`, asked for by every browser and bot, leads to the icon
/// every page links, cached like the stylesheet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tab_has_an_icon() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, page) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    let linked = page
        .split("<link rel=\"icon\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("every page links an icon")
        .to_string();
    assert!(linked.starts_with("/assets/favicon.svg?v="), "{linked}");

    let response = app.get("/favicon.ico").await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&response), linked, "the same icon as the pages");
    let icon = app.get(&linked).await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    let cache = icon.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cache.contains("max-age=31536000"), "{cache}");
    let body = icon.text().await.unwrap();
    assert!(body.starts_with("<svg"), "{body}");
}
