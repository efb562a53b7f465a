//! Backups and restore, as an operator uses them: `presto backup` while a
//! server takes learners' writes, `presto restore` into a fresh folder, and
//! Presto started on it. Everything acknowledged before the backup began
//! is there, the certificates verify with the restored keys, and a cookie
//! from before still signs its learner in. A restore refuses while a server
//! holds the data folder; a backup never replaces a file; automatic backups
//! keep `backup_keep`. SQLite only: PostgreSQL is backed up with `pg_dump`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use presto::backup::schedule::BACKUP_FOLDER;
use presto::backup::{RestoreTarget, restore};
use presto::certificate::{key_resolver, parse_multikey_public, verify};
use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support::{Backend, TestApp, fixture_courses};

const PUBLIC_URL: &str = "http://presto.test";
const QUIZ: &str = "/api/v1/courses/first-steps/lessons/first-quiz/attempts";

/// `presto` itself, with no settings but the ones given.
fn presto(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_presto"));
    let (subcommand, rest) = args.split_first().expect("a subcommand");
    command
        .arg(subcommand)
        .args(["--config", "no-such-presto.toml"])
        .args(rest);
    for (name, _) in std::env::vars() {
        if name.starts_with("PRESTO_") {
            command.env_remove(name);
        }
    }
    command
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn sqlite_url(data: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data.join("presto.db").display())
}

/// What one learner did, as the server acknowledged it (a 2xx answer).
#[derive(Debug, Clone, PartialEq)]
enum Write {
    Account,
    Enrolled,
    LessonDone,
    Attempt { passed: bool },
    Certificate(String),
}

#[derive(Default)]
struct Acknowledged {
    /// (when the answer arrived, learner, what)
    writes: Mutex<Vec<(Instant, usize, Write)>>,
    /// Each learner's API token, as handed out.
    tokens: Mutex<Vec<(usize, String)>>,
}

impl Acknowledged {
    fn note(&self, learner: usize, write: Write) {
        self.writes
            .lock()
            .unwrap()
            .push((Instant::now(), learner, write));
    }

    fn before(&self, moment: Instant) -> Vec<(usize, Write)> {
        self.writes
            .lock()
            .unwrap()
            .iter()
            .filter(|(at, _, _)| *at < moment)
            .map(|(_, learner, write)| (*learner, write.clone()))
            .collect()
    }

    fn between(&self, from: Instant, to: Instant) -> usize {
        self.writes
            .lock()
            .unwrap()
            .iter()
            .filter(|(at, _, _)| *at >= from && *at <= to)
            .count()
    }
}

/// A bearer token, waiting as `Retry-After` says when the sign-in
/// throttle answers 429, as an app would. Under the whole suite's load a
/// right password has been answered 429 here (not explained yet: see the
/// closing note of 2026-12-07); this test is about backups, not that.
async fn token_waiting_if_told(app: &TestApp, username: &str) -> String {
    for _ in 0..10 {
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({"username": username, "password": "password123"}))
            .send()
            .await
            .expect("token");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(1);
            tokio::time::sleep(std::time::Duration::from_secs(wait.min(30))).await;
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "a token for {username}");
        let body: serde_json::Value = response.json().await.expect("json");
        return body["token"].as_str().expect("token").to_string();
    }
    panic!("no token for {username} after ten waits");
}

/// One learner's whole course through the JSON API: an account, a token,
/// enrolling, both lessons, a failed quiz attempt, a passed one, and the
/// certificate that comes with it.
async fn learner_works(app: &TestApp, n: usize, log: &Acknowledged) {
    let username = format!("learner{n}");
    app.add_user(&username, Role::Learner, "password123").await;
    log.note(n, Write::Account);
    let token = token_waiting_if_told(app, &username).await;
    log.tokens.lock().unwrap().push((n, token.clone()));
    let api = app.api(token);
    let (status, _) = api
        .post("/api/v1/courses/first-steps/enrol", json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "enrolled");
    log.note(n, Write::Enrolled);
    for lesson in ["hello", "shoes"] {
        let (status, _) = api
            .post(
                &format!("/api/v1/courses/first-steps/lessons/{lesson}/complete"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{lesson} done");
        log.note(n, Write::LessonDone);
    }
    let (_, quiz) = api
        .get("/api/v1/courses/first-steps/lessons/first-quiz")
        .await;
    let (wrong, right) = answers(&quiz);
    for (answers, passed) in [(wrong, false), (right, true)] {
        let (status, result) = api.post(QUIZ, json!({ "answers": answers })).await;
        assert_eq!(status, StatusCode::CREATED, "{result}");
        assert_eq!(result["passed"], passed, "{result}");
        log.note(n, Write::Attempt { passed });
    }
    let (status, certificates) = api.get("/api/v1/me/certificates").await;
    assert_eq!(status, StatusCode::OK);
    let id = certificates[0]["id"]
        .as_str()
        .expect("a certificate after passing")
        .to_string();
    log.note(n, Write::Certificate(id));
}

/// A wrong answer and all the right answers to the fixture quiz, chosen by
/// the texts shown, as a client would.
fn answers(quiz: &Value) -> (Value, Value) {
    let questions = quiz["questions"].as_array().expect("questions");
    let by_id = |id: &str| questions.iter().find(|q| q["id"] == id).unwrap().clone();
    let pick = |list: &Value, text: &str| {
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
    let wrong = json!({"who-leads": pick(&who["options"], "A visitor")});
    let right = json!({
        "who-leads": pick(&who["options"], "The supervisor"),
        "wear": [pick(&wear["options"], "Safety shoes"), pick(&wear["options"], "A high-visibility vest")],
        "gap": ["Morning.", "new"],
        "match": {
            pick(&matching["left"], "supervisor").as_str().unwrap(): pick(&matching["right"], "leads the team"),
            pick(&matching["left"], "forklift").as_str().unwrap(): pick(&matching["right"], "lifts pallets"),
        },
        "order": [pick(&order["items"], "Arrive"), pick(&order["items"], "Sign in"), pick(&order["items"], "Start work")],
    });
    (wrong, right)
}

/// The DID document's keys, as any verifier reads them.
async fn published_keys(app: &TestApp) -> Vec<(String, ed25519_dalek::VerifyingKey)> {
    let document: Value = app
        .get("/.well-known/did.json")
        .await
        .json()
        .await
        .expect("the DID document");
    document["verificationMethod"]
        .as_array()
        .expect("verification methods")
        .iter()
        .map(|method| {
            let id = method["id"].as_str().unwrap();
            let fragment = id.split_once('#').unwrap().1.to_string();
            let key = parse_multikey_public(method["publicKeyMultibase"].as_str().unwrap())
                .expect("a Multikey");
            (fragment, key)
        })
        .collect()
}

const LEARNERS: usize = 16;
const AT_ONCE: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_made_under_load_restores_everything_acknowledged_before_it() {
    let app = Arc::new(
        TestApp::spawn_configured(Backend::Sqlite, &fixture_courses(), |settings| {
            settings.public_url = PUBLIC_URL.into();
        })
        .await,
    );
    // A learner signed in in a browser before the backup: the restored
    // session key still knows the cookie.
    let browser = app.another_browser();
    browser.learner("amina").await;

    let log = Arc::new(Acknowledged::default());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..AT_ONCE)
        .map(|_| {
            let (app, log, next) = (app.clone(), log.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if n >= LEARNERS {
                        return;
                    }
                    learner_works(&app, n, &log).await;
                }
            })
        })
        .collect();

    // The backup starts once a few learners have finished, the rest still
    // at work.
    let deadline = Instant::now() + Duration::from_secs(120);
    while log
        .before(Instant::now())
        .iter()
        .filter(|(_, w)| matches!(w, Write::Certificate(_)))
        .count()
        < 4
    {
        assert!(Instant::now() < deadline, "the load makes progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let folder = TempDir::new().unwrap();
    // A backup takes from 50 ms to a few seconds, depending on the machine;
    // a short one can fall between two acknowledged writes (the learners
    // may all be waiting on a Retry-After). It is made again, up to five
    // times, until writes were acknowledged while it ran: that is the case
    // this test is about.
    let mut attempt = 0;
    let (file, started) = loop {
        attempt += 1;
        let file = folder.path().join(format!("presto-backup-{attempt}.tar"));
        let started = Instant::now();
        let output = {
            let (data, url, file) = (app.data.clone(), app.database_url.clone(), file.clone());
            tokio::task::spawn_blocking(move || {
                presto(&["backup", "--out"])
                    .arg(&file)
                    .arg("--data")
                    .arg(&data)
                    .args(["--database-url", &url, "--courses"])
                    .arg(fixture_courses())
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        };
        let finished = Instant::now();
        assert!(output.status.success(), "{}", text(&output));
        assert!(
            text(&output).contains("the database as of"),
            "{}",
            text(&output)
        );
        let during = log.between(started, finished);
        eprintln!(
            "backup {attempt}: {during} writes acknowledged while it ran ({:?})",
            finished - started
        );
        if during > 0 {
            break (file, started);
        }
        assert!(
            attempt < 5,
            "writes were acknowledged while one of five backups ran"
        );
    };
    for worker in workers {
        worker.await.expect("the load ran without a failure");
    }
    let before = log.before(started);
    let tokens = log.tokens.lock().unwrap().clone();
    // Credentials as an employer downloaded them before the backup.
    let original_keys = published_keys(&app).await;
    let mut credentials = Vec::new();
    for (_, write) in &before {
        if let Write::Certificate(id) = write {
            let credential: Value = app
                .get(&format!("/certificates/{id}/credential.json"))
                .await
                .json()
                .await
                .unwrap();
            verify(
                &credential,
                key_resolver("did:web:presto.test", &original_keys),
            )
            .expect("it verifies on the original site");
            credentials.push((id.clone(), credential));
        }
    }
    assert!(credentials.len() >= 4, "{credentials:?}");
    app.stop().await;

    // A new machine: an empty data folder and no courses folder yet.
    let fresh = TempDir::new().unwrap();
    let data = fresh.path().join("data");
    let courses = fresh.path().join("courses");
    let output = presto(&["restore"])
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .arg("--courses")
        .arg(&courses)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(courses.join("first-steps/course.toml").is_file());
    let restored = TestApp::start_on_configured(sqlite_url(&data), &data, &courses, |settings| {
        settings.public_url = PUBLIC_URL.into();
    })
    .await;

    // Every learner, and all they did before the backup started.
    for n in 0..LEARNERS {
        let done: Vec<&Write> = before
            .iter()
            .filter(|(learner, _)| *learner == n)
            .map(|(_, write)| write)
            .collect();
        if done.is_empty() {
            continue;
        }
        let token = restored.token(&format!("learner{n}"), "password123").await;
        let (status, progress) = restored.api(&token).get("/api/v1/me/progress").await;
        assert_eq!(status, StatusCode::OK);
        let count = |wanted: fn(&Write) -> bool| done.iter().filter(|w| wanted(w)).count();
        let course = progress
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["slug"] == "first-steps");
        if count(|w| *w == Write::Enrolled) == 0 {
            continue;
        }
        let course = course.unwrap_or_else(|| panic!("learner{n} is enrolled: {progress}"));
        let lessons = count(|w| *w == Write::LessonDone) as u64;
        assert!(
            course["lessons_done"].as_u64().unwrap() >= lessons,
            "learner{n}: {lessons} lessons acknowledged, {course}"
        );
        let attempts = count(|w| matches!(w, Write::Attempt { .. })) as u64;
        assert!(
            course["quizzes"][0]["attempts"].as_u64().unwrap_or(0) >= attempts,
            "learner{n}: {attempts} attempts acknowledged, {course}"
        );
        if count(|w| *w == Write::Attempt { passed: true }) > 0 {
            assert_eq!(course["completed"], true, "learner{n}: {course}");
        }
    }
    // Tokens handed out before the backup still work.
    let token = tokens
        .iter()
        .find(|(n, _)| before.contains(&(*n, Write::Enrolled)))
        .map(|(_, token)| token.clone())
        .expect("a learner who enrolled before the backup");
    let (status, _) = restored.api(token).get("/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::OK);

    // Every certificate is there and verifies: in JSON, on the page, and
    // as the signed credential downloaded before, against the restored
    // site's published keys; the restored site signs with the same key.
    let keys = published_keys(&restored).await;
    assert_eq!(keys, original_keys, "the same signing keys");
    for (id, credential) in &credentials {
        let (status, json) = restored
            .api("")
            .get(&format!("/api/v1/certificates/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(json["status"], "valid", "{json}");
        verify(credential, key_resolver("did:web:presto.test", &keys))
            .expect("the credential from before verifies on the restored site");
        let served: Value = restored
            .get(&format!("/certificates/{id}/credential.json"))
            .await
            .json()
            .await
            .unwrap();
        verify(&served, key_resolver("did:web:presto.test", &keys))
            .expect("the restored site's credential verifies");
    }
    let (status, page) = restored
        .page(&format!("/verify/{}", credentials[0].0))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This certificate is valid."));

    // The browser signed in before the backup is still signed in.
    let response = browser
        .client
        .get(restored.url("/progress"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("amina Test"));
}

/// `presto serve` as a process, stopped (by its own id) when dropped.
struct Server {
    child: Child,
}

impl Server {
    /// Starts `presto serve` on `data` and waits until it listens; or
    /// returns what it said when it stopped instead.
    fn start(data: &Path) -> Result<Server, String> {
        let mut child = presto(&["serve", "--addr", "127.0.0.1:0", "--courses"])
            .arg(fixture_courses())
            .arg("--data")
            .arg(data)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read to the end on a thread of its own, so the server never
        // blocks on a full pipe.
        let stderr = child.stderr.take().unwrap();
        let (lines, said) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut heard = String::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match said.recv_timeout(left) {
                Ok(line) => {
                    heard.push_str(&line);
                    heard.push('\n');
                    if line.contains("listening") {
                        return Ok(Server { child });
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(heard);
                }
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn restore_refuses_while_a_server_holds_the_data_folder_and_never_loses_the_database() {
    let root = TempDir::new().unwrap();
    let data = root.path().join("data");
    let server = Server::start(&data).expect("the server starts");
    let second = Server::start(&data);
    let said = second
        .err()
        .expect("a second server on the same folder refuses");
    assert!(
        said.contains("another Presto is using the data folder"),
        "{said}"
    );

    // Backed up while it serves; a second backup to the same name is refused
    // and the first is left as it was.
    let file = root.path().join("site.tar");
    let made = presto(&["backup", "--no-courses", "--out"])
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    let first = std::fs::read(&file).unwrap();
    let again = presto(&["backup", "--no-courses", "--out"])
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("exists already"), "{}", text(&again));
    assert_eq!(std::fs::read(&file).unwrap(), first, "the backup untouched");
    assert!(
        !files_in(root.path()).iter().any(|n| n.contains("partial")),
        "nothing left over: {:?}",
        files_in(root.path())
    );

    let restore_over = |force: bool| {
        let mut command = presto(&["restore"]);
        command.arg(&file).arg("--data").arg(&data);
        command.arg("--courses").arg(root.path().join("courses"));
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let refused = restore_over(true);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("another Presto is using the data folder"),
        "{}",
        text(&refused)
    );
    drop(server);

    // Stopped: without --force it still replaces nothing.
    let database = std::fs::read(data.join("presto.db")).unwrap();
    let refused = restore_over(false);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("--force"), "{}", text(&refused));
    assert_eq!(std::fs::read(data.join("presto.db")).unwrap(), database);

    // With --force the database there before is moved aside, not lost.
    let done = restore_over(true);
    assert!(done.status.success(), "{}", text(&done));
    let aside: Vec<PathBuf> = files_in(&data)
        .into_iter()
        .filter(|name| name.starts_with("before-restore-"))
        .map(|name| data.join(name))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", files_in(&data));
    assert_eq!(std::fs::read(aside[0].join("presto.db")).unwrap(), database);
    assert!(aside[0].join("session.key").is_file());
    assert!(text(&done).contains(&aside[0].display().to_string()));
    // And the restored folder serves.
    drop(Server::start(&data).expect("a server starts on the restored folder"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_not_a_backup_is_refused_and_changes_nothing() {
    let root = TempDir::new().unwrap();
    let data = root.path().join("data");
    let file = root.path().join("notes.tar");
    std::fs::write(&file, b"these are not the backups you are looking for").unwrap();
    let output = presto(&["restore"])
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("is not a Presto backup"),
        "{}",
        text(&output)
    );
    assert_eq!(files_in(&data), ["presto.lock"], "nothing was put in place");

    // A tar that is not Presto's.
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(4);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, "data/presto.lock", &b"evil"[..])
        .unwrap();
    std::fs::write(&file, tar.into_inner().unwrap()).unwrap();
    let target = RestoreTarget {
        data: data.clone(),
        database: Some(data.join("presto.db")),
        courses: root.path().join("courses"),
    };
    let error = restore(&file, &target, true).await.unwrap_err().to_string();
    assert!(error.contains("which a backup never does"), "{error}");
    assert_eq!(files_in(&data), ["presto.lock"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_backups_keep_the_newest_and_a_failure_never_stops_the_server() {
    let data = TempDir::new().unwrap();
    let folder = data.path().join(BACKUP_FOLDER);
    // A site with a learner, before automatic backups are turned on.
    let before = TestApp::start_on_configured(
        sqlite_url(data.path()),
        data.path(),
        &fixture_courses(),
        |_| {},
    )
    .await;
    before.add_user("kept", Role::Learner, "password123").await;
    before.stop().await;
    assert!(!folder.exists(), "off by default");
    // Three from long ago (so one is due now) and a file of the operator's.
    std::fs::create_dir_all(&folder).unwrap();
    for name in [
        "presto-20200101T020000Z.tar",
        "presto-20200102T020000Z.tar",
        "presto-20200103T020000Z.tar",
        "before-the-upgrade.tar",
    ] {
        std::fs::write(folder.join(name), b"old").unwrap();
    }
    let app = TestApp::start_on_configured(
        sqlite_url(data.path()),
        data.path(),
        &fixture_courses(),
        |settings| {
            settings.backup_every_hours = 24;
            settings.backup_keep = 2;
        },
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let made = loop {
        let names = files_in(&folder);
        let new: Vec<_> = names
            .iter()
            .filter(|n| n.starts_with("presto-") && !n.starts_with("presto-2020"))
            .cloned()
            .collect();
        if new.len() == 1 && names.len() == 3 {
            break new[0].clone();
        }
        assert!(Instant::now() < deadline, "no automatic backup: {names:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        files_in(&folder),
        vec![
            "before-the-upgrade.tar".to_string(),
            "presto-20200103T020000Z.tar".to_string(),
            made.clone(),
        ],
        "the newest two automatic backups and the operator's file"
    );
    app.stop().await;

    // The automatic backup restores like any other.
    let fresh = TempDir::new().unwrap();
    let target = RestoreTarget {
        data: fresh.path().join("data"),
        database: Some(fresh.path().join("data/presto.db")),
        courses: fresh.path().join("courses"),
    };
    restore(&folder.join(&made), &target, false)
        .await
        .expect("restored");
    let restored = TestApp::start_on_configured(
        sqlite_url(&target.data),
        &target.data,
        &target.courses,
        |_| {},
    )
    .await;
    restored.token("kept", "password123").await;
    restored.stop().await;

    // Backups cannot be written (the folder is a file): the server serves on.
    let broken = TempDir::new().unwrap();
    std::fs::write(broken.path().join(BACKUP_FOLDER), b"not a folder").unwrap();
    let app = TestApp::start_on_configured(
        sqlite_url(broken.path()),
        broken.path(),
        &fixture_courses(),
        |settings| {
            settings.backup_every_hours = 1;
        },
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, _) = app.page("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    app.learner("still-here").await;
}

#[test]
fn on_postgresql_backup_points_to_pg_dump_and_keeps_the_keys() {
    let root = TempDir::new().unwrap();
    let data = root.path().join("data");
    std::fs::create_dir_all(data.join("certificate-keys")).unwrap();
    std::fs::write(data.join("session.key"), [7u8; 64]).unwrap();
    std::fs::write(data.join("certificate-keys/key-1.json"), b"{\"a key\": 1}").unwrap();
    let postgres = "postgres://presto:hunter2@127.0.0.1:1/presto";
    let file = root.path().join("keys.tar");
    let backup = |extra: &[&str]| {
        presto(&[
            "backup",
            "--no-courses",
            "--database-url",
            postgres,
            "--out",
        ])
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .args(extra)
        .output()
        .unwrap()
    };
    let refused = backup(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let said = text(&refused);
    assert!(
        said.contains("pg_dump --format=custom") && said.contains("--keys-only"),
        "{said}"
    );
    assert!(!said.contains("hunter2"), "the password stays out: {said}");
    assert!(!file.exists());

    let kept = backup(&["--keys-only"]);
    assert!(kept.status.success(), "{}", text(&kept));

    // Put back on a new machine that runs PostgreSQL: the keys, as they were.
    let fresh = root.path().join("fresh");
    let restored = presto(&["restore"])
        .arg(&file)
        .args(["--database-url", postgres, "--data"])
        .arg(&fresh)
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("pg_restore"),
        "{}",
        text(&restored)
    );
    assert_eq!(std::fs::read(fresh.join("session.key")).unwrap(), [7u8; 64]);
    assert_eq!(
        std::fs::read(fresh.join("certificate-keys/key-1.json")).unwrap(),
        b"{\"a key\": 1}"
    );
    assert!(!fresh.join("presto.db").exists());

    // A SQLite backup is not put in place under PostgreSQL settings.
    let server = Server::start(&data.join("sqlite")).expect("a SQLite site");
    let sqlite_file = root.path().join("sqlite.tar");
    let made = presto(&["backup", "--no-courses", "--out"])
        .arg(&sqlite_file)
        .arg("--data")
        .arg(data.join("sqlite"))
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    drop(server);
    let refused = presto(&["restore"])
        .arg(&sqlite_file)
        .args(["--database-url", postgres, "--force", "--data"])
        .arg(&fresh)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("pg_restore"), "{}", text(&refused));
    assert_eq!(std::fs::read(fresh.join("session.key")).unwrap(), [7u8; 64]);
}
