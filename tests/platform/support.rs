#![allow(dead_code)]
//! A real Presto on port 0 for each test, on SQLite or PostgreSQL, with a
//! browser-like client (cookies kept, redirects not followed so tests see
//! them).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use presto::config::Settings;
use presto::domain::names::{FullName, Role, Username};
use presto::passwords::hash_password;
use presto::startup::Application;
use presto::store::Store;
use presto::store::users::{Account, NewAccount};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// An admin URL (any database on the server); each test makes its own.
    Postgres(String),
}

impl Backend {
    pub fn postgres() -> Option<Backend> {
        std::env::var("PRESTO_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(Backend::Postgres)
    }
}

/// Runs an async test body on SQLite and, when `PRESTO_TEST_POSTGRES_URL`
/// is set (CI sets it), on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    match $crate::support::Backend::postgres() {
                        Some(backend) => super::$name(backend).await,
                        None => eprintln!("PostgreSQL not tested: PRESTO_TEST_POSTGRES_URL is not set"),
                    }
                }
            }
        )*
    };
}

static DATABASE_COUNTER: AtomicUsize = AtomicUsize::new(0);

static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

/// Test databases of earlier runs whose process has ended are dropped, so a
/// developer's PostgreSQL does not fill up with them.
async fn drop_leftover_databases(admin: &sea_orm::DatabaseConnection) {
    use sea_orm::{DbBackend, Statement};
    let rows = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'presto_test_%'",
        ))
        .await
        .unwrap_or_else(|e| {
            eprintln!("could not list old test databases: {e}");
            Vec::new()
        });
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name.split('_').nth(2).unwrap_or_default();
        if Path::new("/proc").join(pid).exists() {
            continue;
        }
        if let Err(e) = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await
        {
            eprintln!("could not drop the old test database {name}: {e}");
        }
    }
}

/// A fresh, empty PostgreSQL database for one test.
async fn fresh_postgres_database(admin_url: &str) -> String {
    let name = format!(
        "presto_test_{}_{}_{}",
        std::process::id(),
        DATABASE_COUNTER.fetch_add(1, Ordering::SeqCst),
        presto::passwords::random_token()[..8]
            .to_ascii_lowercase()
            .replace(['-', '_'], "x")
    );
    let admin = Database::connect(admin_url)
        .await
        .expect("PostgreSQL reachable");
    CLEANED
        .get_or_init(|| drop_leftover_databases(&admin))
        .await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}

/// An empty database of its own for a store test (no server, so no mail
/// worker): its URL, and the folder that holds it on SQLite.
pub async fn fresh_database(backend: &Backend) -> (String, Option<TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = TempDir::new().expect("temp dir");
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("presto.db").display()
            );
            (url, Some(dir))
        }
        Backend::Postgres(admin) => (fresh_postgres_database(admin).await, None),
    }
}

pub fn fixture_courses() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform")
}

/// The running server's task, to wait for it to stop.
type Running =
    std::sync::Arc<tokio::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<()>>>>>;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub admin_setup_url: Option<String>,
    pub database_url: String,
    pub data: PathBuf,
    /// What the courses folder's watcher has done.
    pub watch: std::sync::Arc<presto::authoring::watch::Activity>,
    _data_dir: Option<std::sync::Arc<TempDir>>,
    server: presto::startup::Stopper,
    running: Running,
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, &fixture_courses()).await
    }

    pub async fn spawn_with(backend: Backend, courses: &Path) -> TestApp {
        TestApp::spawn_configured(backend, courses, |_| {}).await
    }

    /// A server with some settings changed from the tests' defaults.
    pub async fn spawn_configured(
        backend: Backend,
        courses: &Path,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let data_dir = std::sync::Arc::new(TempDir::new().expect("temp dir"));
        let database_url = match &backend {
            Backend::Sqlite => format!(
                "sqlite://{}?mode=rwc",
                data_dir.path().join("presto.db").display()
            ),
            Backend::Postgres(admin) => fresh_postgres_database(admin).await,
        };
        let data = data_dir.path().to_path_buf();
        TestApp::start(database_url, &data, Some(data_dir), courses, configure).await
    }

    /// A server on an existing database and data folder.
    pub async fn start_on(database_url: String, data: &Path) -> TestApp {
        TestApp::start(database_url, data, None, &fixture_courses(), |_| {}).await
    }

    /// A server on an existing database, data folder and courses folder
    /// (one put back from a backup), with some settings changed.
    pub async fn start_on_configured(
        database_url: String,
        data: &Path,
        courses: &Path,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        TestApp::start(database_url, data, None, courses, configure).await
    }

    /// Another server on the same database and data folder: a restart, or
    /// a second instance behind a load balancer.
    pub async fn restart_with(&self, courses: &Path) -> TestApp {
        self.restart_configured(courses, |_| {}).await
    }

    /// A restart with some settings changed.
    pub async fn restart_configured(
        &self,
        courses: &Path,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        TestApp::start(
            self.database_url.clone(),
            &self.data,
            self._data_dir.clone(),
            courses,
            configure,
        )
        .await
    }

    /// Stops the server as a signal would and waits until it and its mail
    /// worker have stopped.
    pub async fn stop(&self) {
        self.server.stop(true).await;
        if let Some(task) = self.running.lock().await.take() {
            let _ = task.await;
        }
    }

    /// Stops the server at once, dropping every open connection, as a
    /// crash would drop them (the process itself goes on: the test is in it).
    pub async fn crash(&self) {
        self.server.stop(false).await;
        if let Some(task) = self.running.lock().await.take() {
            let _ = task.await;
        }
    }

    async fn start(
        database_url: String,
        data: &Path,
        data_dir: Option<std::sync::Arc<TempDir>>,
        courses: &Path,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let mut settings = Settings {
            addr: "127.0.0.1:0".parse().expect("address"),
            database_url: database_url.clone(),
            courses: courses.to_path_buf(),
            data: data.to_path_buf(),
            ..Settings::default()
        };
        configure(&mut settings);
        let app = Application::build(settings).await.expect("app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let store = app.store.clone();
        let admin_setup_url = app.admin_setup_url.clone();
        let server = app.stopper();
        let watch = app.watch_activity();
        let running = tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            client: browser(),
            store,
            admin_setup_url,
            database_url,
            data: data.to_path_buf(),
            watch,
            _data_dir: data_dir,
            server,
            running: std::sync::Arc::new(tokio::sync::Mutex::new(Some(running))),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// A page's status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// The CSRF token of this client's session (from any page with a form).
    pub async fn csrf(&self) -> String {
        let (_, html) = self.page("/login").await;
        let html = if html.contains("name=\"csrf\"") {
            html
        } else {
            self.page("/").await.1
        };
        hidden_field(&html, "csrf").expect("a page with a CSRF token")
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    pub async fn add_user(&self, username: &str, role: Role, password: &str) -> Account {
        self.store
            .create_user(NewAccount {
                username: &Username::parse(username).expect("username"),
                full_name: &FullName::parse(&format!("{username} Test")).expect("name"),
                email: None,
                role,
                password_hash: &hash_password(password).expect("hash"),
                language: "en",
                home_language: None,
                name_in_own_script: None,
            })
            .await
            .expect("user created")
    }

    pub async fn sign_in(&self, username: &str, password: &str) {
        let response = self
            .post_form("/login", &[("username", username), ("password", password)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "signed in as {username}"
        );
    }

    /// A signed-in learner in this client.
    pub async fn learner(&self, username: &str) -> Account {
        let account = self.add_user(username, Role::Learner, "password123").await;
        self.sign_in(username, "password123").await;
        account
    }

    /// A bearer token for a new user with this role.
    pub async fn token_for(&self, username: &str, role: Role) -> String {
        self.add_user(username, role, "password123").await;
        self.token(username, "password123").await
    }

    /// A bearer token for an existing user.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/api/v1/auth/token"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .expect("token");
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// Another browser on the same server (its own cookies).
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: browser(),
            store: self.store.clone(),
            admin_setup_url: self.admin_setup_url.clone(),
            database_url: self.database_url.clone(),
            data: self.data.clone(),
            watch: self.watch.clone(),
            _data_dir: self._data_dir.clone(),
            server: self.server.clone(),
            running: self.running.clone(),
        }
    }
}

impl TestApp {
    /// Another browser whose requests reach the server through a proxy
    /// that says they come from `address` (`X-Forwarded-For`); the server
    /// believes it only when `trusted_proxies` names 127.0.0.1.
    pub fn via_proxy_from(&self, address: &str) -> TestApp {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            reqwest::header::HeaderValue::from_str(address).expect("an address"),
        );
        let mut other = self.another_browser();
        other.client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client");
        other
    }
}

/// The value of `<input type="hidden" name="NAME" value="...">`.
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The fixture course as the server compiles it, to find option ids.
pub fn compiled_fixture(slug: &str) -> presto::course::CompiledCourse {
    let root = fixture_courses();
    let discovery = presto::course::source::discover(&root).expect("fixtures");
    let sources: Vec<_> = discovery
        .courses
        .iter()
        .map(|(dir, shown)| presto::course::source::load_course(dir, shown))
        .collect();
    presto::course::compile_all(&sources, &discovery.known_slugs, &Default::default())
        .into_iter()
        .find(|c| c.slug == slug)
        .and_then(|c| c.course)
        .expect("fixture compiles")
}

/// Quiz form fields answering every question right, or every one wrong.
pub fn quiz_fields(slug: &str, quiz_id: &str, right: bool) -> Vec<(String, String)> {
    use presto::course::{Answer, GapSegment};
    let course = compiled_fixture(slug);
    let quiz = course
        .lesson(quiz_id)
        .and_then(|l| l.quiz.clone())
        .expect("a quiz");
    let mut fields = Vec::new();
    for q in &quiz.questions {
        let name = format!("q:{}", q.id);
        match &q.answer {
            Answer::Choice { options } => {
                for o in options.iter().filter(|o| o.correct == right) {
                    fields.push((name.clone(), o.id.clone()));
                    if !right {
                        break;
                    }
                }
            }
            Answer::Gap { segments } => {
                let mut n = 0;
                for s in segments {
                    if let GapSegment::Gap(accepted) = s {
                        n += 1;
                        let word = if right {
                            accepted[0].to_uppercase()
                        } else {
                            "wrong".into()
                        };
                        fields.push((format!("{name}:{n}"), word));
                    }
                }
            }
            Answer::Match { pairs } => {
                let count = pairs.len();
                for (i, pair) in pairs.iter().enumerate() {
                    let right_id = if right {
                        &pair.right.id
                    } else {
                        &pairs[(i + 1) % count].right.id
                    };
                    fields.push((format!("{name}:{}", pair.left.id), right_id.clone()));
                }
            }
            Answer::Order { items } => {
                let count = items.len();
                for (i, item) in items.iter().enumerate() {
                    let position = if right { i + 1 } else { count - i };
                    fields.push((format!("{name}:{}", item.id), position.to_string()));
                }
            }
            Answer::Number { low, high, .. } => {
                let number = if right { *low } else { high + 1.0 };
                fields.push((name.clone(), number.to_string()));
            }
        }
    }
    fields
}

impl TestApp {
    /// Enrols in the fixture course `first-steps` and completes it as a
    /// learner does: both lessons marked done, then the quiz passed.
    pub async fn complete_first_steps(&self) {
        self.post_form("/courses/first-steps/enrol", &[]).await;
        for lesson in ["hello", "shoes"] {
            let done = self
                .post_form(&format!("/courses/first-steps/lessons/{lesson}/done"), &[])
                .await;
            assert_eq!(done.status(), StatusCode::SEE_OTHER, "{lesson} marked done");
        }
        let quiz = self
            .submit_quiz("first-steps", "first-quiz", true, None)
            .await;
        assert_eq!(quiz.status(), StatusCode::SEE_OTHER, "the quiz submitted");
    }

    /// Submits the quiz form (with a fresh attempt token unless given).
    pub async fn submit_quiz(
        &self,
        slug: &str,
        quiz_id: &str,
        right: bool,
        attempt_token: Option<&str>,
    ) -> reqwest::Response {
        let (_, page) = self
            .page(&format!("/courses/{slug}/lessons/{quiz_id}"))
            .await;
        let token = attempt_token
            .map(str::to_string)
            .or_else(|| hidden_field(&page, "attempt_token"))
            .unwrap_or_default();
        let csrf = self.csrf().await;
        let mut fields = quiz_fields(slug, quiz_id, right);
        fields.push(("csrf".into(), csrf));
        fields.push(("attempt_token".into(), token));
        self.client
            .post(self.url(&format!("/courses/{slug}/lessons/{quiz_id}/attempts")))
            .form(&fields)
            .send()
            .await
            .expect("quiz POST")
    }
}

/// The JSON API as one account sees it: every call carries its bearer
/// token, and every answer is read as JSON (a body that is not JSON fails
/// the test, because the API promises JSON for every answer).
pub struct Api<'a> {
    pub app: &'a TestApp,
    pub token: String,
}

impl TestApp {
    /// The JSON API with this bearer token.
    pub fn api(&self, token: impl Into<String>) -> Api<'_> {
        Api {
            app: self,
            token: token.into(),
        }
    }
}

impl Api<'_> {
    /// Any call; `body` is sent as JSON.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("API call");
        let status = response.status();
        let text = response.text().await.expect("body");
        if status == StatusCode::NO_CONTENT {
            return (status, serde_json::Value::Null);
        }
        let value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: not JSON: {text}"));
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, serde_json::Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, serde_json::Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }
}
