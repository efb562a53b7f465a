//! Headless Chromium on a phone-sized window: a learner registers, reads a
//! lesson, takes a quiz and sees their progress, in English and in Arabic
//! (right to left); tutors run a class, upload a course and edit a module.
//! axe-core checks each page for WCAG 2.1 AA problems and
//! a screenshot of each is saved for people to look at.
//!
//! Needs `chromium` and `chromium-driver` (Debian packages) and axe-core
//! (`npm ci --prefix tests/browser`); `.ci/run` installs all three. Where
//! they are missing the tests say so and stop, except under CI (`CI` set),
//! where a missing tool is a failure: CI always runs them.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp};

pub(crate) const PHONE: (u32, u32) = (360, 780);

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path).ok()
}

pub(crate) fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// Chromedriver on a free port, or None (with the reason) when the tools
/// are missing.
pub(crate) async fn start_driver() -> Result<(Driver, u16), String> {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("chromedriver: {e}"))?;
    let driver = Driver(child);
    let status = format!("http://127.0.0.1:{port}/status");
    for _ in 0..100 {
        if let Ok(response) = reqwest::get(&status).await
            && response.status().is_success()
        {
            return Ok((driver, port));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("chromedriver did not start".into())
}

pub(crate) async fn phone(port: u16, profile: &Path, size: (u32, u32)) -> Client {
    // Headless Chromium will not make a window narrower than 500 px; a
    // phone's viewport comes from device emulation.
    let emulation = json!({
        "deviceMetrics": { "width": size.0, "height": size.1, "pixelRatio": 2.0, "touch": true, "mobile": true },
    });
    chromium(port, profile, size, Some(emulation)).await
}

/// A laptop's window: desktop Chromium, no phone emulation, so the page is
/// laid out at `size.0` CSS pixels as it is on a 1280 px screen.
pub(crate) async fn laptop(port: u16, profile: &Path, size: (u32, u32)) -> Client {
    chromium(port, profile, size, None).await
}

/// A headless Chromium session with the flags every test uses, a window of
/// `size` and, for a phone, its device emulation.
async fn chromium(
    port: u16,
    profile: &Path,
    size: (u32, u32),
    mobile_emulation: Option<serde_json::Value>,
) -> Client {
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={},{}", size.0, size.1),
            "--hide-scrollbars",
        ],
    });
    if let Some(emulation) = mobile_emulation {
        options["mobileEmulation"] = emulation;
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    // Chromedriver is on loopback: plain HTTP, no TLS stack.
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

/// A laptop's width; tall, so a screenshot takes the whole page.
pub(crate) const LAPTOP: (u32, u32) = (1280, 2000);

pub(crate) struct Page<'a> {
    pub(crate) client: &'a Client,
    pub(crate) axe: &'a str,
    pub(crate) shots: PathBuf,
}

impl Page<'_> {
    /// Runs axe-core (WCAG 2.0 and 2.1, A and AA) and fails on any violation.
    pub(crate) async fn check_accessibility(&self, name: &str) {
        self.client
            .execute(self.axe, vec![])
            .await
            .expect("axe loads");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary) }))))
              .catch(e => done([{ id: 'axe-error', help: String(e) }]));
        "#;
        let violations = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe runs");
        assert_eq!(
            violations,
            json!([]),
            "{name}: WCAG 2.1 AA problems:\n{}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Shows that the check can fail: a page with an image without a text
    /// alternative and an unlabelled field must be reported.
    async fn check_that_axe_catches_problems(&self) {
        self.js("document.body.insertAdjacentHTML('beforeend', '<img src=\"x.png\"><input type=\"text\">'); return true")
            .await;
        self.client
            .execute(self.axe, vec![])
            .await
            .expect("axe loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; axe.run(document).then(r => done(r.violations.map(v => v.id)));",
                vec![],
            )
            .await
            .expect("axe runs");
        let ids: Vec<&str> = found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        assert!(
            ids.contains(&"image-alt") && ids.contains(&"label"),
            "axe finds planted problems: {ids:?}"
        );
    }

    /// Accessibility check and screenshot: what every page gets.
    pub(crate) async fn look(&self, name: &str) {
        self.check_accessibility(name).await;
        self.screenshot(name).await;
    }

    pub(crate) async fn fill(&self, css: &str, text: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("no {css}"))
            .send_keys(text)
            .await
            .expect("typing");
    }

    pub(crate) async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("no {css}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks something that loads a new page, and waits for that page.
    pub(crate) async fn click_and_wait(&self, css: &str) {
        self.js("window.prestoOldPage = true; return true").await;
        self.click(css).await;
        for _ in 0..100 {
            let fresh = self
                .client
                .execute(
                    "return window.prestoOldPage === undefined && document.readyState === 'complete'",
                    vec![],
                )
                .await
                .unwrap_or(Value::Bool(false));
            if fresh == json!(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("clicking {css} loaded no new page");
    }

    pub(crate) async fn click_text(&self, xpath: &str) {
        self.client
            .find(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|_| panic!("no {xpath}"))
            .click()
            .await
            .expect("click");
    }

    pub(crate) async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }

    pub(crate) async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .expect("script runs")
    }

    pub(crate) async fn text(&self) -> String {
        self.js("return document.body.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub(crate) async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_string()
    }

    async fn register(&self, app: &TestApp, username: &str, full_name: &str) {
        self.client
            .goto(&app.url("/register"))
            .await
            .expect("register page");
        self.fill("#full_name", full_name).await;
        self.fill("#username", username).await;
        self.fill("#password", "a long password").await;
        self.click_and_wait("form.stack button[type=submit]").await;
        assert_eq!(self.path().await, "/", "registered and home");
    }

    /// Signs in through the form, as a person would.
    pub(crate) async fn sign_in(&self, app: &TestApp, username: &str, password: &str) {
        self.client
            .goto(&app.url("/login"))
            .await
            .expect("sign-in page");
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click_and_wait("form.stack button[type=submit]").await;
    }

    /// Chooses answers in the quiz form: all right, or the first question
    /// wrong only.
    async fn answer_quiz(&self, all_right: bool) {
        let first = if all_right {
            "The supervisor"
        } else {
            "A visitor"
        };
        self.click_text(&format!("//label[contains(., '{first}')]/input"))
            .await;
        self.click_text("//label[contains(., 'Safety shoes')]/input")
            .await;
        self.click_text("//label[contains(., 'high-visibility')]/input")
            .await;
        self.fill("input[name='q:gap:1']", "morning").await;
        self.fill("input[name='q:gap:2']", "new").await;
        for (left, right) in [
            ("supervisor", "leads the team"),
            ("forklift", "lifts pallets"),
        ] {
            self.select_for_label(left, right).await;
        }
        for (item, position) in [("Arrive", "1"), ("Sign in", "2"), ("Start work", "3")] {
            self.select_for_label(item, position).await;
        }
    }

    pub(crate) async fn select_for_label(&self, label: &str, option: &str) {
        let select = self
            .client
            .find(Locator::XPath(&format!(
                "//div[@class='pair'][label[normalize-space(.)='{label}']]/select"
            )))
            .await
            .unwrap_or_else(|_| panic!("no select for {label}"));
        select.select_by_label(option).await.expect("select");
    }
}

/// axe-core and a running chromedriver, or None (with a message) where
/// they are not installed and this is not CI.
pub(crate) async fn browser_tools() -> Option<(String, Driver, u16)> {
    let under_ci = std::env::var_os("CI").is_some();
    let missing = |what: String| {
        let advice = "install the Debian packages chromium and chromium-driver and run `npm ci --prefix tests/browser`";
        if under_ci {
            panic!("{what}: {advice}");
        }
        eprintln!("browser tests not run ({what}): {advice}");
        None
    };
    let Some(axe) = axe_source() else {
        return missing("axe-core is not installed".into());
    };
    match start_driver().await {
        Ok((driver, port)) => Some((axe, driver, port)),
        Err(e) => missing(e),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_on_a_phone_in_english_and_arabic() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let shots = screenshot_dir();

    // English.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    client.goto(&app.url("/")).await.unwrap();
    page.check_that_axe_catches_problems().await;
    client.goto(&app.url("/")).await.unwrap();
    let width = page.js("return window.innerWidth").await;
    assert_eq!(width, json!(PHONE.0), "a phone-sized viewport");
    page.look("en-1-home-visitor").await;
    // A forgotten password, from the sign-in page.
    client.goto(&app.url("/login")).await.unwrap();
    page.click_and_wait("a[href='/password/forgot']").await;
    page.look("en-1a-password-forgot").await;
    page.fill("#login", "nobody").await;
    page.click_and_wait("form.stack button[type=submit]").await;
    page.look("en-1b-password-sent").await;
    client
        .goto(&app.url("/password/reset/an-old-link"))
        .await
        .unwrap();
    page.look("en-1c-password-link-bad").await;
    page.register(&app, "amina", "Amina Khan").await;
    page.look("en-2-home").await;
    client.goto(&app.url("/courses/first-steps")).await.unwrap();
    page.look("en-3-course").await;
    page.click_and_wait("form.actions button").await;
    assert_eq!(page.path().await, "/courses/first-steps/lessons/hello");
    page.look("en-4-lesson").await;
    let listen = page
        .js("return document.querySelectorAll('dt[data-say] button.say').length")
        .await;
    assert_eq!(
        listen,
        json!(1),
        "a listen button beside the vocabulary term"
    );
    // The course's words, from the lesson, with the same Listen button.
    page.click_and_wait("a[href='/courses/first-steps/glossary']")
        .await;
    page.look("en-4a-glossary").await;
    let listen = page
        .js("return document.querySelectorAll('dt[data-say] button.say').length")
        .await;
    assert_eq!(listen, json!(1), "the glossary's word can be heard too");
    page.click_and_wait("nav.order a[href$='order=az']").await;
    assert_eq!(
        page.js("return document.querySelector('nav.order a[aria-current]').textContent")
            .await,
        json!("A to Z")
    );
    client
        .goto(&app.url("/courses/first-steps/lessons/hello"))
        .await
        .unwrap();
    page.click_and_wait(".lesson-end button").await;
    page.click_and_wait(".lesson-end button").await;
    assert_eq!(page.path().await, "/courses/first-steps/lessons/first-quiz");
    page.click("details.hint summary").await;
    let hint_open = page
        .js("return document.querySelector('details.hint').open")
        .await;
    assert_eq!(hint_open, json!(true), "a hint on request");
    page.look("en-5-quiz").await;

    // A slip: Enter (a phone's Go) in a gap box submits nothing; it moves
    // on to the next gap.
    page.fill("input[name='q:gap:1']", "morning").await;
    page.fill("input[name='q:gap:1']", "\u{E007}").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(page.path().await, "/courses/first-steps/lessons/first-quiz");
    assert_eq!(
        page.js("return document.activeElement.name").await,
        json!("q:gap:2"),
        "Enter moved on to the next gap"
    );
    // Sending a quiz with questions unanswered asks first, keeping what
    // was typed.
    page.click_and_wait("form.quiz button.quiz-submit").await;
    assert_eq!(
        page.path().await,
        "/courses/first-steps/lessons/first-quiz/attempts"
    );
    let asked = page.text().await;
    assert!(asked.contains("have no answer yet"), "{asked}");
    assert_eq!(
        page.js("return document.querySelector(\"input[name='q:gap:1']\").value")
            .await,
        json!("morning"),
        "the gap typed before is still there"
    );
    page.look("en-5-quiz-unanswered").await;
    page.js("document.querySelector(\"input[name='q:gap:1']\").value = ''; return true")
        .await;
    page.answer_quiz(true).await;
    page.click_and_wait("form.quiz button.quiz-submit").await;
    let result = page.text().await;
    assert!(
        result.contains("Score: 100%") && result.contains("You passed"),
        "{result}"
    );
    page.look("en-6-result").await;
    client.goto(&app.url("/progress")).await.unwrap();
    let progress = page.text().await;
    assert!(
        progress.contains("100% done") && progress.contains("Course complete"),
        "{progress}"
    );
    page.look("en-7-progress").await;
    client.goto(&app.url("/certificates")).await.unwrap();
    let copy_buttons = page
        .js("return document.querySelectorAll('input.copy-source + button.copy').length")
        .await;
    assert_eq!(copy_buttons, json!(1), "a copy button beside the link");
    page.look("en-8-certificates").await;
    let verify_url = page
        .js("return document.querySelector('input.copy-source').value")
        .await;
    let verify_url = verify_url
        .as_str()
        .expect("a verification link")
        .to_string();
    client.goto(&verify_url).await.unwrap();
    assert!(page.text().await.contains("This certificate is valid."));
    page.look("en-9-verify").await;
    client.goto(&app.url("/verify/K7MX-3QPA-W")).await.unwrap();
    assert!(page.text().await.contains("has a mistake in it"));
    page.look("en-10-verify-mistyped").await;
    // Her account, from the menu: signing out on all devices.
    client.goto(&app.url("/")).await.unwrap();
    page.click_and_wait("header nav a[href='/account']").await;
    assert!(page.text().await.contains("Sign out on all devices"));
    page.look("en-11-account").await;
    page.click_and_wait("form[action='/account/sign-out-everywhere'] button")
        .await;
    assert_eq!(page.path().await, "/");
    client.goto(&app.url("/progress")).await.unwrap();
    assert!(page.path().await.starts_with("/login"), "signed out");
    client.close().await.unwrap();

    // Arabic, right to left.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    client.goto(&app.url("/")).await.unwrap();
    page.click_and_wait("button[name=lang][value=ar]").await;
    let (lang, dir) = (
        page.js("return document.documentElement.lang").await,
        page.js("return document.documentElement.dir").await,
    );
    assert_eq!((lang, dir), (json!("ar"), json!("rtl")));
    page.register(&app, "yusuf", "يوسف أحمد").await;
    let brand_on_the_right = page
        .js("const r = document.querySelector('.brand').getBoundingClientRect(); return r.left > window.innerWidth / 2")
        .await;
    assert_eq!(brand_on_the_right, json!(true), "the page is mirrored");
    page.look("ar-1-home").await;
    client.goto(&app.url("/courses/first-steps")).await.unwrap();
    page.click_and_wait("form.actions button").await;
    page.look("ar-2-lesson").await;
    let shown = page
        .js("return [...document.querySelectorAll('dd.tr')].filter(d => getComputedStyle(d).display !== 'none').map(d => d.lang)")
        .await;
    assert_eq!(
        shown,
        json!(["ar"]),
        "the glossary shows the Arabic translation only"
    );
    let lesson_dir = page
        .js("return getComputedStyle(document.querySelector('article.lesson')).direction")
        .await;
    assert_eq!(
        lesson_dir,
        json!("ltr"),
        "the English lesson itself stays left to right"
    );
    client
        .goto(&app.url("/courses/first-steps/lessons/first-quiz"))
        .await
        .unwrap();
    page.look("ar-3-quiz").await;
    page.answer_quiz(false).await;
    page.click_and_wait("form.quiz button.quiz-submit").await;
    let path = page.path().await;
    assert!(path.contains("/attempts/"), "{path}: {}", page.text().await);
    page.look("ar-4-result").await;
    let overflow = page
        .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        .await;
    assert_eq!(
        overflow,
        json!(0),
        "the result page does not scroll sideways"
    );
    // "Try again" keeps the answers: only the wrong one needs changing.
    page.click_and_wait("a[href*='?again=']").await;
    assert_eq!(
        page.js("return document.querySelector(\"input[name='q:gap:1']\").value")
            .await,
        json!("morning"),
        "the answers of the try are filled in again"
    );
    let marked = page
        .js("return Array.from(document.querySelectorAll('fieldset.question')).map(f => !!f.querySelector('.last-time'))")
        .await;
    assert_eq!(
        marked
            .as_array()
            .map(|m| m.iter().filter(|x| **x == json!(true)).count()),
        Some(1),
        "only the question that was wrong is marked: {marked}"
    );
    page.look("ar-4-try-again").await;
    client.goto(&app.url("/progress")).await.unwrap();
    let progress = page.text().await;
    assert!(
        progress.contains("يوسف أحمد"),
        "the name as written: {progress}"
    );
    page.look("ar-5-progress").await;
    client.goto(&verify_url).await.unwrap();
    assert!(page.text().await.contains("هذه الشهادة صالحة"));
    page.look("ar-6-verify").await;
    client.goto(&app.url("/account")).await.unwrap();
    assert!(page.text().await.contains("تسجيل الخروج من كل الأجهزة"));
    page.look("ar-7-account").await;
    // A home language apart from the interface: Dari words under Arabic menus.
    page.client
        .find(Locator::Css("#home_language"))
        .await
        .expect("the home language picker")
        .select_by_value("fa")
        .await
        .expect("Dari chosen");
    page.fill("#name_in_own_script", "يوسف أحمد").await;
    page.click_and_wait("form[action='/account/profile'] button")
        .await;
    assert!(page.text().await.contains("تم الحفظ"));
    page.look("ar-8-account-saved").await;
    client
        .goto(&app.url("/courses/first-steps/glossary"))
        .await
        .unwrap();
    let shown = page
        .js("return [...document.querySelectorAll('dd.tr')].filter(d => getComputedStyle(d).display !== 'none').map(d => d.lang)")
        .await;
    assert_eq!(
        shown,
        json!(["fa"]),
        "the home language's, not the interface's"
    );
    page.look("ar-9-glossary").await;
    client.close().await.unwrap();
    eprintln!("screenshots: {}", shots.display());
}

/// The shipped courses, one lesson of each, on a phone: axe-checked and
/// captured whole for a person to read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_courses_read_well_on_a_phone() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let courses = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses");
    let app = TestApp::spawn_with(Backend::Sqlite, &courses).await;
    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), (PHONE.0, 3200)).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots,
    };
    page.register(&app, "tester", "Test Reader").await;
    for published in app.store.published_courses().await.unwrap() {
        let course = &published.course;
        if !course.settings.requires.is_empty() {
            continue;
        }
        client
            .goto(&app.url(&format!("/courses/{}", course.slug)))
            .await
            .unwrap();
        page.click_and_wait("form.actions button").await;
        // The first lesson, the first with a picture, and the first quiz.
        page.look(&format!("course-{}-lesson", course.slug)).await;
        let pictured = course
            .lessons()
            .find(|l| l.html.contains("<img"))
            .expect("a picture");
        client
            .goto(&app.url(&format!("/courses/{}/lessons/{}", course.slug, pictured.id)))
            .await
            .unwrap();
        // Pictures load lazily: ask for them all, then give them a moment.
        page.js(
            "document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; }); return true",
        )
        .await;
        let mut loaded = json!(false);
        for _ in 0..50 {
            loaded = page
                .js("return [...document.images].every(i => i.complete && i.naturalWidth > 0)")
                .await;
            if loaded == json!(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(loaded, json!(true), "{}: every picture loads", course.slug);
        page.look(&format!("course-{}-picture", course.slug)).await;
        let quiz = course.lessons().find(|l| l.quiz.is_some()).expect("a quiz");
        client
            .goto(&app.url(&format!("/courses/{}/lessons/{}", course.slug, quiz.id)))
            .await
            .unwrap();
        page.look(&format!("course-{}-quiz", course.slug)).await;
    }
    client.close().await.unwrap();
}

/// A tutor runs a class on a phone: makes it, plans a session, imports
/// learners (login cards), keeps the register; a learner in Dari (right to
/// left) sees the next session on the home page. Every page axe-checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tutor_runs_a_class_on_a_phone() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.add_user("tess", presto::domain::names::Role::Tutor, "password123")
        .await;
    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "tess", "password123").await;

    client.goto(&app.url("/classes/new")).await.unwrap();
    page.look("class-1-new").await;
    page.fill("#name", "Monday warehouse group").await;
    page.click("input[name=course][value=first-steps]").await;
    page.click_and_wait("form.stack button[type=submit]").await;
    let class_path = page.path().await;
    assert!(class_path.starts_with("/classes/"), "{class_path}");
    let code = page
        .js("return document.querySelector('.join-code .number').textContent")
        .await;
    let code = code.as_str().expect("a join code").to_string();
    page.look("class-2-page").await;

    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::Europe::London)
        .format("%Y-%m-%d")
        .to_string();
    page.js("document.querySelectorAll('details').forEach(d => d.open = true); return true")
        .await;
    page.fill("#s-title", "Talking to a supervisor").await;
    // Date inputs take what a person types in the browser's own format;
    // set the value directly instead.
    page.js(&format!(
        "document.querySelector('#s-date').value = '{tomorrow}'; document.querySelector('#s-time').value = '10:00'; return true"
    ))
    .await;
    page.fill("#s-link", "https://meet.example.org/abc-defg")
        .await;
    page.click_and_wait("form[action$='/sessions'] button[type=submit]")
        .await;
    assert!(page.text().await.contains("Talking to a supervisor"));

    client
        .goto(&app.url(&format!("{class_path}/import")))
        .await
        .unwrap();
    page.look("class-3-import").await;
    page.fill(
        "#roster",
        "username,full name,language\nfarid,فرید احمدی,fa\nolena,Олена Коваленко,uk\nx,,\n",
    )
    .await;
    page.click_and_wait("form.stack button[type=submit]").await;
    let cards = page.text().await;
    assert!(
        cards.contains("farid") && cards.contains("Line 4"),
        "{cards}"
    );
    page.look("class-4-login-cards").await;
    let farid_password = page
        .js("return [...document.querySelectorAll('.login-card')].find(c => c.innerText.includes('farid')).querySelectorAll('dd')[2].textContent")
        .await;
    let farid_password = farid_password.as_str().expect("a password").to_string();

    client.goto(&app.url(&class_path)).await.unwrap();
    page.click_and_wait("a[href*='/sessions/']").await;
    page.click("label.mark-late input").await;
    page.look("class-5-register").await;
    page.click_and_wait("form.register button[type=submit]")
        .await;
    assert!(page.path().await.contains("/sessions/"));
    client.close().await.unwrap();

    // Farid, in Dari, right to left.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "farid", &farid_password).await;
    let dir = page.js("return document.documentElement.dir").await;
    assert_eq!(dir, json!("rtl"), "his language from the roster");
    assert!(page.text().await.contains("Talking to a supervisor"));
    page.look("class-6-home-next-session-fa").await;
    client.goto(&app.url("/join")).await.unwrap();
    page.fill("#code", &code).await;
    page.click_and_wait("form.stack button[type=submit]").await;
    page.look("class-7-member-view-fa").await;
    client.close().await.unwrap();
}

/// A tutor's class progress on a phone, in English and in Arabic: the grid
/// scrolls inside its box (the page itself never scrolls sideways), the
/// learners' names stay in view while it does, and axe finds no problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tutor_reads_class_progress_on_a_phone() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let tutor = app
        .add_user(
            "tutor",
            presto::domain::names::Role::Tutor,
            "a long password",
        )
        .await;
    let class = crate::class_progress::class_with_three_learners(&app, &tutor).await;
    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    // A phone's width, tall enough to capture the whole page.
    let client = phone(port, profile.path(), (PHONE.0, 2600)).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots,
    };
    page.sign_in(&app, "tutor", "a long password").await;
    let path = format!("/classes/{}/progress", class.id);
    for lang in ["en", "ar"] {
        client.goto(&app.url(&path)).await.unwrap();
        if lang == "ar" {
            page.click_and_wait("button[name=lang][value=ar]").await;
            assert_eq!(page.path().await, path, "back on the page after choosing");
        }
        let text = page.text().await;
        assert!(text.contains("farid Test"), "{text}");
        let page_scrolls_sideways = page
            .js("return document.documentElement.scrollWidth > window.innerWidth")
            .await;
        assert_eq!(
            page_scrolls_sideways,
            json!(false),
            "{lang}: only the grid scrolls"
        );
        page.look(&format!("{lang}-class-progress")).await;
        // Scroll the grid to its far end: the names stay where they were.
        let stays = page
            .js(r#"
                const box = document.querySelector('.grid-scroll');
                if (box.scrollWidth <= box.clientWidth) return 'fits';
                const name = box.querySelector('tbody th.learner');
                const before = name.getBoundingClientRect().left;
                box.scrollLeft = document.dir === 'rtl' ? -box.scrollWidth : box.scrollWidth;
                if (box.scrollLeft === 0) return 'does not scroll';
                const after = name.getBoundingClientRect().left;
                return Math.abs(before - after) < 1 ? 'stays' : 'moves';
            "#)
            .await;
        eprintln!("{lang}: the grid {stays}");
        assert!(
            stays == json!("stays") || stays == json!("fits"),
            "{lang}: the names stay in view, got {stays}"
        );
        // The course section alone, close up, for a person to read.
        let section = client
            .find(Locator::Css(".class-course"))
            .await
            .expect("the course section");
        let png = section.screenshot().await.expect("section screenshot");
        std::fs::write(
            page.shots
                .join(format!("{lang}-class-progress-grid-scrolled.png")),
            png,
        )
        .expect("save screenshot");
    }
    client.close().await.unwrap();
}

/// A tutor on a phone: the authoring list, the upload page and a zip with
/// a mistake in it, the module editor whose check and preview follow the
/// typing (editor.js), and the editor right to left in Dari.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tutor_writes_a_course_on_a_phone() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let courses = crate::authoring::courses_copy();
    let app = TestApp::spawn_with(Backend::Sqlite, courses.path()).await;
    let tina = app
        .add_user(
            "tina",
            presto::domain::names::Role::Tutor,
            "a long password",
        )
        .await;
    // A course found in the courses folder is the admins' until one names
    // its owner.
    app.store
        .set_course_owner("first-steps", tina.id)
        .await
        .unwrap();
    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots,
    };
    page.sign_in(&app, "tina", "a long password").await;

    client.goto(&app.url("/authoring")).await.unwrap();
    assert!(page.text().await.contains("01-first-day.md"));
    page.look("authoring-1-list").await;

    client.goto(&app.url("/authoring/upload")).await.unwrap();
    page.look("authoring-2-upload").await;
    let zip = crate::authoring::zip_of(&[
        (
            "broken-course/course.toml",
            b"title = \"Broken\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"x\"\n",
        ),
        (
            "broken-course/01-quiz.md",
            b"# Module\n\n## Quiz: Check {#check}\n\n### Which one is right? The answer list below has no box ticked at all.\n\n- [ ] a very long answer that will not fit on one line of a phone screen\n- [ ] b\n",
        ),
    ]);
    let zip_file = profile.path().join("broken-course.zip");
    std::fs::write(&zip_file, zip).unwrap();
    client
        .find(Locator::Css("#file"))
        .await
        .expect("a file field")
        .send_keys(&zip_file.display().to_string())
        .await
        .expect("choose the file");
    page.click_and_wait("form.stack button[type=submit]").await;
    let shown = page.text().await;
    assert!(
        shown.contains("broken-course/01-quiz.md:7:1")
            && shown.contains("No answer is marked right."),
        "{shown}"
    );
    page.look("authoring-3-upload-errors").await;

    let editor = "/authoring/courses/first-steps/modules/01-first-day.md";
    client.goto(&app.url(editor)).await.unwrap();
    let shown = page.text().await;
    assert!(
        shown.contains("Ready to publish."),
        "the module is fine as it is: {shown}"
    );
    page.look("authoring-4-editor").await;
    // Typing a mistake: editor.js checks after a pause, without a page load.
    page.js("window.prestoSamePage = true; return true").await;
    page.fill("#text", "\n## Bad id {#Bad_Id}\n\nText.\n").await;
    let mut status = Value::Null;
    for _ in 0..100 {
        status = page
            .js("return document.getElementById('check-status').textContent")
            .await;
        if status.as_str().is_some_and(|s| s.contains("1 error")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        status.as_str().is_some_and(|s| s.contains("1 error")),
        "the live check: {status}"
    );
    assert!(page.text().await.contains("[invalid-id]"));
    assert_eq!(
        page.js("return window.prestoSamePage === true").await,
        json!(true),
        "no page load"
    );
    page.js("document.getElementById('results').scrollIntoView(); return true")
        .await;
    page.look("authoring-5-editor-live-check").await;

    client.goto(&app.url("/")).await.unwrap();
    page.click_and_wait("button[name=lang][value=fa]").await;
    client.goto(&app.url(editor)).await.unwrap();
    let dir = page.js("return document.documentElement.dir").await;
    assert_eq!(dir, json!("rtl"));
    let text_dir = page
        .js("return getComputedStyle(document.getElementById('text')).direction")
        .await;
    assert_eq!(text_dir, json!("ltr"), "the markdown stays left to right");
    page.look("fa-authoring-editor").await;
    page.js("document.getElementById('results').scrollIntoView(); return true")
        .await;
    page.screenshot("fa-authoring-editor-check").await;
    client.goto(&app.url("/authoring")).await.unwrap();
    page.look("fa-authoring-list").await;
    client.close().await.unwrap();
}

/// A coordinator on a phone: the dashboard with its charts, the funder
/// report, a learner's outcomes and the erase form, in English and Arabic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_reads_the_reports_on_a_phone() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let shots = screenshot_dir();
    // One learner who completed the course, so the figures are not empty.
    let learner = app.another_browser();
    learner.learner("amina").await;
    learner.complete_first_steps().await;
    let amina = app
        .store
        .search_learners("amina", 1)
        .await
        .unwrap()
        .remove(0);
    app.add_user(
        "coord",
        presto::domain::names::Role::Coordinator,
        "a long password",
    )
    .await;

    for lang in ["en", "ar"] {
        let profile = tempfile::TempDir::new().unwrap();
        let client = phone(port, profile.path(), PHONE).await;
        let page = Page {
            client: &client,
            axe: &axe,
            shots: shots.clone(),
        };
        client.goto(&app.url("/")).await.unwrap();
        if lang == "ar" {
            page.click_and_wait("button[name=lang][value=ar]").await;
        }
        page.sign_in(&app, "coord", "a long password").await;
        if lang == "ar" {
            // The account's language is English; choose Arabic again.
            page.click_and_wait("button[name=lang][value=ar]").await;
        }
        client.goto(&app.url("/reports")).await.unwrap();
        let charts = page
            .js("return document.querySelectorAll('svg.chart').length")
            .await;
        assert_eq!(charts, json!(2), "two charts");
        let overflow = page
            .js("return document.documentElement.scrollWidth > window.innerWidth + 1")
            .await;
        assert_eq!(overflow, json!(false), "{lang}: the dashboard fits a phone");
        page.look(&format!("{lang}-reports-1-dashboard")).await;
        client.goto(&app.url("/reports/funder")).await.unwrap();
        page.look(&format!("{lang}-reports-2-funder")).await;
        client.goto(&app.url("/learners?q=amina")).await.unwrap();
        page.look(&format!("{lang}-reports-3-learners")).await;
        client
            .goto(&app.url(&format!("/learners/{}", amina.id)))
            .await
            .unwrap();
        page.look(&format!("{lang}-reports-4-learner")).await;
        client.close().await.unwrap();
    }
}

/// How wide the page is laid out and how wide it can be dragged, in CSS
/// pixels: `[viewport, document]`. Phone emulation widens the layout
/// viewport to fit what overflows, so the viewport is also compared with
/// the window asked for.
const WIDTHS: &str =
    "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]";

/// What a staff member sees of a table in its scroll box: the box's
/// `[scrollWidth, clientWidth]`, and how far the last column header's far
/// edge is inside the viewport (negative: cut off).
const TABLE_FITS: &str = r#"
    const wrap = document.querySelector(arguments[0]);
    const heads = wrap.querySelectorAll('thead th');
    const last = heads[heads.length - 1].getBoundingClientRect();
    const inside = document.dir === 'rtl' ? last.left : window.innerWidth - last.right;
    return [wrap.scrollWidth, wrap.clientWidth, Math.floor(inside)];
"#;

/// The chart labels that are cut at the chart's edge or drawn over a bar.
const LABELS_CUT: &str = r#"
                        const out = [];
                        for (const svg of document.querySelectorAll('svg.chart')) {
                            const box = svg.getBoundingClientRect();
                            const bars = [...svg.querySelectorAll('.chart-bar, .chart-track')]
                                .map(b => b.getBoundingClientRect());
                            for (const line of svg.querySelectorAll('.chart-label tspan')) {
                                const r = line.getBoundingClientRect();
                                const outside = r.left < box.left - 1 || r.right > box.right + 1;
                                const onBar = bars.some(b => b.width > 0 && r.bottom > b.top + 1 && r.top < b.bottom - 1);
                                if (outside || onBar) out.push(line.textContent);
                            }
                        }
                        return out;
                    "#;

/// Staff pages at a laptop's width and a phone's: the class progress grid
/// (a class with every shipped course, so the grids are as wide as a
/// term's) scrolls inside its box and never drags the page sideways; at
/// 1280 px the staff pages use the width (far wider than a learner's
/// reading column) and the dashboard's and funder report's tables show
/// every column; the charts have a visible title and whole labels.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_pages_use_a_laptop_and_only_the_grid_scrolls() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let courses = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses");
    let app = TestApp::spawn_with(Backend::Sqlite, &courses).await;
    let shots = screenshot_dir();
    let slugs: Vec<String> = app
        .store
        .published_courses()
        .await
        .unwrap()
        .iter()
        // A learner can start these without finishing another first.
        .filter(|p| p.course.settings.requires.is_empty())
        .map(|p| p.course.slug.clone())
        .collect();
    assert!(slugs.len() >= 5, "the shipped courses: {slugs:?}");
    let tutor = app
        .add_user(
            "tutor",
            presto::domain::names::Role::Tutor,
            "a long password",
        )
        .await;
    let class = app
        .store
        .create_class(tutor.id, "Whole term", "warehousing", &slugs)
        .await
        .unwrap();
    // Two learners in every course, so every grid and report has rows.
    for name in ["amina", "oleksandr"] {
        let learner = app.another_browser();
        let account = learner.learner(name).await;
        assert!(app.store.join_class(&class, account.id).await.unwrap());
        for slug in &slugs {
            let enrolled = learner
                .post_form(&format!("/courses/{slug}/enrol"), &[])
                .await;
            assert!(
                enrolled.status().is_redirection(),
                "{slug}: {}",
                enrolled.status()
            );
        }
    }
    // Amina finished the first two courses (written as `presto seed`
    // does), so the charts draw rates below 100 % next to zeros.
    {
        use presto::store::progress::enrolment;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let amina = app
            .store
            .search_learners("amina", 1)
            .await
            .unwrap()
            .remove(0);
        enrolment::Entity::update_many()
            .col_expr(
                enrolment::Column::CompletedAt,
                Expr::value(chrono::Utc::now()),
            )
            .filter(enrolment::Column::UserId.eq(amina.id))
            .filter(enrolment::Column::CourseSlug.is_in(slugs[..2].to_vec()))
            .exec(app.store.db())
            .await
            .unwrap();
        app.store.rebuild_report_rollup().await.unwrap();
    }
    app.add_user(
        "coord",
        presto::domain::names::Role::Coordinator,
        "a long password",
    )
    .await;
    let progress = format!("/classes/{}/progress", class.id);

    for (device, size) in [("laptop", LAPTOP), ("phone", (PHONE.0, 2400))] {
        let profile = tempfile::TempDir::new().unwrap();
        let client = if device == "laptop" {
            laptop(port, profile.path(), size).await
        } else {
            phone(port, profile.path(), size).await
        };
        let page = Page {
            client: &client,
            axe: &axe,
            shots: shots.clone(),
        };
        page.sign_in(&app, "tutor", "a long password").await;
        client.goto(&app.url(&progress)).await.unwrap();
        let grids = page
            .js("return document.querySelectorAll('.grid-scroll').length")
            .await;
        assert_eq!(grids, json!(slugs.len()), "a grid per course");
        let widest = page
            .js("return Math.max(...[...document.querySelectorAll('.grid-scroll')].map(b => b.scrollWidth - b.clientWidth))")
            .await;
        assert!(
            widest.as_f64().unwrap() > 0.0,
            "{device}: a term's grid is wider than the page, so it scrolls in its box"
        );
        let widths = page.js(WIDTHS).await;
        assert_eq!(
            widths,
            json!([size.0, size.0]),
            "{device}: the class progress page is as wide as the screen, not dragged sideways"
        );
        if device == "laptop" {
            let main = page
                .js("return document.querySelector('main').getBoundingClientRect().width")
                .await;
            assert!(
                main.as_f64().unwrap() >= 1100.0,
                "the grid gets the laptop's width, not a reading column: {main}"
            );
        }
        page.look(&format!("staff-{device}-class-progress")).await;
        client.close().await.unwrap();

        let profile = tempfile::TempDir::new().unwrap();
        let client = if device == "laptop" {
            laptop(port, profile.path(), size).await
        } else {
            phone(port, profile.path(), (PHONE.0, 2400)).await
        };
        let page = Page {
            client: &client,
            axe: &axe,
            shots: shots.clone(),
        };
        page.sign_in(&app, "coord", "a long password").await;
        for (path, table, name) in [
            ("/reports", ".table-wrap", "dashboard"),
            ("/reports/funder", ".table-wrap", "funder"),
        ] {
            client.goto(&app.url(path)).await.unwrap();
            let widths = page.js(WIDTHS).await;
            assert_eq!(
                widths,
                json!([size.0, size.0]),
                "{device}: {path} is not dragged sideways"
            );
            if device == "laptop" {
                let fits = page.js_with(TABLE_FITS, vec![json!(table)]).await;
                let [scroll, client_width, inside] = [0, 1, 2].map(|i| fits[i].as_f64().unwrap());
                assert!(
                    scroll <= client_width && inside >= 0.0,
                    "{path}: every column shows at 1280 px (scroll {scroll}, box {client_width}, last header {inside} px inside)"
                );
            }
            if name == "dashboard" {
                // Each chart says what it is, in words on the page.
                let titles = page
                    .js("return [...document.querySelectorAll('svg.chart .chart-title')].map(t => t.textContent)")
                    .await;
                assert_eq!(
                    titles,
                    json!(["Courses completed, by sector", "Completion rate, by sector"])
                );
                // No label is cut at the chart's edge or runs into a bar.
                let cut = page.js(LABELS_CUT).await;
                assert_eq!(cut, json!([]), "{device}: labels cut or over a bar");
            }
            page.look(&format!("staff-{device}-{name}")).await;
        }
        if device == "phone" {
            // Right to left: the charts start at the right, nothing cut.
            client.goto(&app.url("/reports")).await.unwrap();
            page.click_and_wait("button[name=lang][value=ar]").await;
            assert_eq!(page.js(WIDTHS).await, json!([size.0, size.0]));
            assert_eq!(
                page.js(LABELS_CUT).await,
                json!([]),
                "ar: labels cut or over a bar"
            );
            page.look("staff-phone-dashboard-ar").await;
        }
        client.close().await.unwrap();
    }
}

/// Every button and button-like link on the page: its text, whether it
/// takes up room, its text colour and the colour behind it (the first
/// ancestor with a background that is not transparent), and the contrast
/// ratio between the two as WCAG computes it.
const BUTTON_COLOURS: &str = r#"
    const parse = (css) => {
        const m = /rgba?\(([^)]+)\)/.exec(css);
        if (!m) return null;
        const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const behind = (el) => {
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0) return c;
        }
        return { r: 255, g: 255, b: 255, a: 1 };
    };
    const over = (fg, bg) => ({
        r: fg.r * fg.a + bg.r * (1 - fg.a),
        g: fg.g * fg.a + bg.g * (1 - fg.a),
        b: fg.b * fg.a + bg.b * (1 - fg.a),
    });
    const luminance = ({ r, g, b }) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const css = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
    return [...document.querySelectorAll('button, input[type=submit], input[type=button], a.button')].map((el) => {
        const style = getComputedStyle(el);
        const bg = behind(el);
        const fg = over(parse(style.color), bg);
        const [light, dark] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
        const box = el.getBoundingClientRect();
        return {
            text: (el.innerText || el.value || '').trim(),
            shown: box.width > 0 && box.height > 0,
            color: css(fg),
            background: css(bg),
            border: style.borderTopColor,
            ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
        };
    });
"#;

/// The danger colour (`--bad` in app.css).
const DANGER: &str = "rgb(163, 35, 27)";

/// What is wrong with these buttons (from [`BUTTON_COLOURS`]): any that
/// cannot be read against what is behind it (under 4.5:1), and any that
/// deletes, revokes, erases or resets but is hidden or not in the danger
/// colour.
fn button_problems(buttons: &[Value]) -> Vec<String> {
    let destructive = ["delete", "revoke", "erase", "new password", "reset"];
    let mut problems = Vec::new();
    for b in buttons {
        let ratio = b["ratio"].as_f64().unwrap_or(0.0);
        if ratio < 4.5 {
            problems.push(format!("hard to see ({ratio}:1): {b}"));
        }
        let text = b["text"].as_str().unwrap_or_default().to_lowercase();
        if destructive.iter().any(|d| text.contains(d)) && !text.starts_with("cancel") {
            if b["shown"] != json!(true) {
                problems.push(format!("not shown: {b}"));
            }
            if ![&b["color"], &b["background"], &b["border"]].contains(&&json!(DANGER)) {
                problems.push(format!("not in the danger colour: {b}"));
            }
        }
    }
    problems
}

impl Page<'_> {
    /// Every button on the page passes [`button_problems`]. Returns how
    /// many it checked.
    async fn check_buttons(&self, name: &str) -> usize {
        let buttons = self.js(BUTTON_COLOURS).await;
        let buttons = buttons.as_array().cloned().unwrap_or_default();
        assert!(!buttons.is_empty(), "{name}: no buttons found");
        let problems = button_problems(&buttons);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        buttons.len()
    }
}

/// Destructive buttons can be seen and ask first: on a 360 px phone the
/// class page's "Delete this session" and "New password" are in the danger
/// colour and lead to a page that asks (no JavaScript needed); the learner
/// page, the certificate pages and the confirmation pages pass the same
/// contrast check on every button; and the check catches white on white.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_buttons_can_be_seen_and_ask_first() {
    use presto::domain::names::Role;
    use presto::store::classes::NewSession;

    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let shots = screenshot_dir();
    let tutor = app.add_user("tess", Role::Tutor, "a long password").await;
    let coordinator = app
        .add_user("coord", Role::Coordinator, "a long password")
        .await;
    // Amina finished the course (a certificate) and is in Tess's class,
    // which has a live session tomorrow.
    let amina_browser = app.another_browser();
    let amina = amina_browser.learner("amina").await;
    amina_browser.complete_first_steps().await;
    let class = app
        .store
        .create_class(
            tutor.id,
            "Monday warehouse group",
            "warehousing",
            &["first-steps".into()],
        )
        .await
        .unwrap();
    app.store.join_class(&class, amina.id).await.unwrap();
    let session = app
        .store
        .add_session(
            class.id,
            NewSession {
                title: "Talking to a supervisor",
                starts_at: chrono::Utc::now() + chrono::Duration::days(1),
                duration_minutes: 60,
                meeting_url: "https://meet.example.org/abc-defg",
            },
        )
        .await
        .unwrap();
    // And invited to another class, for her home page.
    let other = app
        .store
        .create_class(tutor.id, "Evening group", "warehousing", &[])
        .await
        .unwrap();
    app.store
        .invite_to_class(other.id, amina.id, tutor.id)
        .await
        .unwrap();
    let class_path = format!("/classes/{}", class.id);

    // A phone's width, tall enough to capture the whole class page.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), (PHONE.0, 2200)).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "tess", "a long password").await;
    client.goto(&app.url(&class_path)).await.unwrap();
    // The check itself: the old button (a `.link` with no colour of its
    // own, so the buttons' white, on the white page) must fail it. The
    // page's CSP refuses inline styles; the CSSOM is allowed.
    page.js("const b = document.createElement('button'); b.className = 'link'; b.textContent = 'Delete this session'; b.style.color = '#fff'; document.querySelector('main').append(b); return true")
        .await;
    let planted = page.js(BUTTON_COLOURS).await;
    let problems = button_problems(planted.as_array().map_or(&[][..], Vec::as_slice));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("hard to see (1:1)")
            && problems[1].starts_with("not in the danger colour")
            && problems.iter().all(|p| p.contains("Delete this session")),
        "the check sees white on white: {problems:?}"
    );

    client.goto(&app.url(&class_path)).await.unwrap();
    let checked = page.check_buttons("class page").await;
    eprintln!("class page: {checked} buttons checked");
    page.look("safety-1-class-phone").await;

    // "Delete this session": a page that asks; going back changes nothing.
    page.click_and_wait(&format!(
        "a[href='{class_path}/sessions/{}/delete']",
        session.id
    ))
    .await;
    let asked = page.text().await;
    assert!(
        asked.contains("Delete the session \"Talking to a supervisor\"?")
            && asked.contains("This cannot be undone."),
        "{asked}"
    );
    page.check_buttons("delete question").await;
    page.look("safety-2-delete-question").await;
    page.click_and_wait("form.confirm a.button").await;
    assert_eq!(page.path().await, class_path);
    assert!(app.store.session(session.id).await.unwrap().is_some());

    // "New password": names the learner and what stops working.
    page.click_and_wait(&format!(
        "a[href='{class_path}/members/{}/password']",
        amina.id
    ))
    .await;
    let asked = page.text().await;
    assert!(
        asked.contains("amina Test's printed card will stop working."),
        "{asked}"
    );
    page.check_buttons("password question").await;
    page.look("safety-3-password-question").await;
    client.goto(&app.url(&class_path)).await.unwrap();
    page.click_and_wait(&format!(
        "a[href='{class_path}/sessions/{}/delete']",
        session.id
    ))
    .await;
    page.click_and_wait("form.confirm button.danger").await;
    assert!(
        app.store.session(session.id).await.unwrap().is_none(),
        "deleted once confirmed"
    );
    client.close().await.unwrap();

    // The class page on a wide screen, for a person to look at.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), (1280, 1400)).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "tess", "a long password").await;
    app.store
        .add_session(
            class.id,
            NewSession {
                title: "Reading a delivery note",
                starts_at: chrono::Utc::now() + chrono::Duration::days(2),
                duration_minutes: 45,
                meeting_url: "https://meet.example.org/xyz",
            },
        )
        .await
        .unwrap();
    client.goto(&app.url(&class_path)).await.unwrap();
    page.check_buttons("class page, wide").await;
    page.screenshot("safety-4-class-wide").await;
    client.close().await.unwrap();

    // The coordinator's learner page and certificate pages, on a phone.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, &coordinator.username, "a long password")
        .await;
    client
        .goto(&app.url(&format!("/learners/{}", amina.id)))
        .await
        .unwrap();
    page.check_buttons("learner page").await;
    page.look("safety-5-learner").await;
    client
        .goto(&app.url("/manage/certificates?q=amina"))
        .await
        .unwrap();
    page.check_buttons("certificate management").await;
    page.look("safety-6-manage-certificates").await;
    page.click_and_wait("ul.cards a[href^='/verify/']").await;
    page.check_buttons("certificate page").await;
    page.look("safety-7-certificate").await;
    page.fill("#reason", "Issued to the wrong learner").await;
    page.click_and_wait("form[action$='/revoke'] button").await;
    let asked = page.text().await;
    assert!(
        asked.contains("Everyone who checks amina Test's certificate"),
        "{asked}"
    );
    page.check_buttons("revoke question").await;
    page.look("safety-8-revoke-question").await;
    let certificates = app.store.certificates_of(amina.id).await.unwrap();
    assert!(
        certificates[0].revoked_at.is_none(),
        "not revoked until confirmed"
    );
    client.close().await.unwrap();

    // Amina's home page: the invitation, to accept or decline.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots,
    };
    page.sign_in(&app, "amina", "password123").await;
    client.goto(&app.url("/")).await.unwrap();
    assert!(page.text().await.contains("invites you to the class"));
    page.check_buttons("learner home").await;
    page.look("safety-9-home-invitation").await;
    page.click_and_wait(&format!(
        "form[action='/invitations/{}/accept'] button",
        other.id
    ))
    .await;
    assert_eq!(page.path().await, format!("/classes/{}", other.id));
    assert!(app.store.is_class_member(other.id, amina.id).await.unwrap());
    client.close().await.unwrap();
}

/// An admin on a phone: the course list with owners, who can change a
/// course (adding a co-author), the previous versions, and restoring one
/// through its confirmation page, without any script.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_restores_a_previous_version_on_a_phone() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let courses = crate::authoring::courses_copy();
    let app = TestApp::spawn_with(Backend::Sqlite, courses.path()).await;
    let tina = crate::authoring::tutor(&app).await;
    for (text, replace) in [
        ("Sign in at the gate.", None),
        ("Sign in at the new gate.", Some("night-shift")),
    ] {
        let (status, page) = crate::authoring::upload(
            &tina,
            crate::authoring::night_shift(text),
            "night.zip",
            replace,
        )
        .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{page}");
    }
    app.add_user("tom", presto::domain::names::Role::Tutor, "a long password")
        .await;
    app.add_user("ada", presto::domain::names::Role::Admin, "a long password")
        .await;
    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots,
    };
    page.sign_in(&app, "ada", "a long password").await;

    client.goto(&app.url("/authoring")).await.unwrap();
    assert!(page.text().await.contains("Owner: tina Test (tina)"));
    page.look("owners-1-list").await;
    client
        .goto(&app.url("/authoring/courses/night-shift/authors"))
        .await
        .unwrap();
    page.fill("#co-author", "tom").await;
    page.click_and_wait("form[action$='/authors'] button[type=submit]")
        .await;
    let shown = page.text().await;
    assert!(
        shown.contains("The co-author was added.") && shown.contains("tom Test"),
        "{shown}"
    );
    page.look("owners-2-authors").await;

    client
        .goto(&app.url("/authoring/courses/night-shift/versions"))
        .await
        .unwrap();
    assert!(page.text().await.contains("Previous version 1"));
    page.look("versions-1-list").await;
    page.click_and_wait("a.button[href$='/restore']").await;
    assert!(page.text().await.contains("Yes, restore version 1"));
    page.look("versions-2-confirm").await;
    page.click_and_wait("button.danger").await;
    let shown = page.text().await;
    assert!(shown.contains("published as version 3"), "{shown}");
    page.look("versions-3-restored").await;
    let (_, lesson) = app.page("/courses/night-shift").await;
    assert!(lesson.contains("Night shift"));
    client.close().await.unwrap();

    // The same staff pages on a laptop, for a person to look at; every
    // button readable, the restore button in the danger colour.
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), (1280, 1000)).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: screenshot_dir(),
    };
    page.sign_in(&app, "ada", "a long password").await;
    for (path, name) in [
        (
            "/authoring/courses/night-shift/authors",
            "owners-3-authors-wide",
        ),
        (
            "/authoring/courses/night-shift/versions",
            "versions-4-list-wide",
        ),
    ] {
        client.goto(&app.url(path)).await.unwrap();
        page.check_buttons(name).await;
        page.screenshot(name).await;
    }
    client.close().await.unwrap();
}

/// A tutor signs in on a phone and starts on their classes; the account
/// page's password form and the class's session times, in English and
/// Arabic, on a phone and (the class page) a laptop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_and_class_pages_in_english_and_arabic() {
    let Some((axe, _driver, port)) = browser_tools().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let tutor = app.another_browser();
    tutor
        .add_user("tess", presto::domain::names::Role::Tutor, "password123")
        .await;
    tutor.sign_in("tess", "password123").await;
    let made = tutor
        .post_form(
            "/classes",
            &[
                ("name", "Monday warehouse group"),
                ("sector", "warehousing"),
                ("course", "first-steps"),
            ],
        )
        .await;
    let class_path = crate::support::location(&made);
    for (title, date) in [
        ("Forklift safety talk", "2030-01-07"),
        ("Reading a rota", "2030-02-12"),
    ] {
        tutor
            .post_form(
                &format!("{class_path}/sessions"),
                &[
                    ("title", title),
                    ("date", date),
                    ("time", "14:00"),
                    ("duration", "45"),
                    ("meeting_url", "https://meet.example.org/x"),
                ],
            )
            .await;
    }
    let shots = screenshot_dir();
    let profile = tempfile::TempDir::new().unwrap();
    let client = phone(port, profile.path(), PHONE).await;
    let page = Page {
        client: &client,
        axe: &axe,
        shots: shots.clone(),
    };
    page.sign_in(&app, "tess", "password123").await;
    assert_eq!(
        page.path().await,
        "/classes",
        "a tutor starts on their classes"
    );
    for lang in ["en", "ar"] {
        if lang == "ar" {
            page.click_and_wait("button[name=lang][value=ar]").await;
        }
        client.goto(&app.url("/account")).await.unwrap();
        page.fill("#current", "not my password").await;
        page.fill("#password", "a new secret").await;
        page.fill("#password_again", "a new secret").await;
        page.click_and_wait("form[action='/account/password'] button[type=submit]")
            .await;
        page.look(&format!("{lang}-account-password-wrong-360"))
            .await;
        client.goto(&app.url(&class_path)).await.unwrap();
        let text = page.text().await;
        let monday = if lang == "en" {
            "Mon 7 Jan 2030 14:00"
        } else {
            "الإثنين 7 يناير 2030 14:00"
        };
        assert!(text.contains(monday), "{text}");
        page.look(&format!("{lang}-class-sessions-360")).await;
        client.set_window_size(1280, 900).await.unwrap();
        page.screenshot(&format!("{lang}-class-sessions-1280"))
            .await;
        client.set_window_size(PHONE.0, PHONE.1).await.unwrap();
    }
    eprintln!("screenshots: {}", shots.display());
}
