//! Email with real parts: a real SMTP server process on loopback (Python's
//! aiosmtpd, `tests/smtp/server.py`) receives what Presto sends, and the
//! tests read each mail back as the server saved it.
//!
//! Needs `python3` with aiosmtpd (`python3 -m pip install -r
//! tests/smtp/requirements.txt`; `.ci/run` does it). Where it is missing the
//! SMTP tests say so and stop, except under CI (`CI` set), where that is a
//! failure. The outbox test needs nothing.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mail_parser::{Message, MessageParser, MimeHeaders};
use presto::config::Settings;
use presto::domain::names::{FullName, Role, Username};
use presto::i18n;
use presto::passwords::hash_password;
use presto::store::mail::QueuedMail;
use presto::store::users::{Account, NewAccount};
use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses};

on_both_databases!(
    the_certificate_reaches_a_real_smtp_server_with_its_pdf,
    with_the_smtp_server_down_the_mail_waits_and_goes_when_it_is_back,
    a_queued_mail_survives_a_restart,
    without_smtp_settings_mail_lands_in_the_outbox,
    a_forgotten_password_is_reset_through_the_mailed_link,
    an_smtp_outage_with_a_restart_in_it_loses_no_mail,
);

/// How long a test waits for a mail before it fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// True when Python and aiosmtpd are there. Outside CI a missing tool
/// skips the test (with a message); under CI it fails it.
fn smtp_tools_ready() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match found {
        Ok(status) if status.success() => true,
        outcome if std::env::var_os("CI").is_none() => {
            eprintln!(
                "SMTP not tested: python3 with aiosmtpd is missing ({outcome:?}); \
                 run `python3 -m pip install -r tests/smtp/requirements.txt`"
            );
            false
        }
        outcome => panic!("python3 with aiosmtpd is needed in CI: {outcome:?}"),
    }
}

/// A real SMTP server process that saves what it receives in a folder.
struct SmtpServer {
    child: Child,
    folder: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    /// Starts it on `port` and waits until it listens.
    async fn start(port: u16) -> SmtpServer {
        let folder = tempfile::TempDir::new().expect("temp dir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(folder.path())
            // Its standard input stays open while we live: if this test
            // process dies, the server notices and stops.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 starts");
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            line
        })
        .await
        .expect("read");
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpServer { child, folder }
    }

    fn mails(&self) -> Vec<Vec<u8>> {
        eml_files(self.folder.path())
    }
}

/// The `.eml` files in a folder, oldest name first.
fn eml_files(folder: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("read a mail"))
        .collect()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until `check` gives a value, or fails the test after `PATIENCE`.
async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(start.elapsed() < PATIENCE, "waited too long for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn mails_at(server: &SmtpServer, count: usize) -> Vec<Vec<u8>> {
    eventually(&format!("{count} mail(s) at the SMTP server"), async || {
        let mails = server.mails();
        (mails.len() >= count).then_some(mails)
    })
    .await
}

fn parse(raw: &[u8]) -> Message<'_> {
    MessageParser::default().parse(raw).expect("a mail")
}

/// SMTP on `port`, retries a second apart so the tests do not wait long.
fn smtp_on(port: u16) -> impl Fn(&mut Settings) {
    move |settings: &mut Settings| {
        settings.mail_url = format!("smtp://127.0.0.1:{port}");
        settings.mail_retry_secs = 1;
        settings.mail_retry_max_secs = 1;
    }
}

/// A learner with an email address, signed in in this app's browser.
async fn learner_with_email(app: &TestApp, username: &str, name: &str, lang: &str) -> Account {
    let account = app
        .store
        .create_user(NewAccount {
            username: &Username::parse(username).unwrap(),
            full_name: &FullName::parse(name).unwrap(),
            email: Some(&format!("{username}@example.org")),
            role: Role::Learner,
            password_hash: &hash_password("password123").unwrap(),
            language: lang,
            home_language: None,
            name_in_own_script: None,
        })
        .await
        .unwrap();
    app.sign_in(username, "password123").await;
    account
}

async fn the_only_mail(app: &TestApp) -> QueuedMail {
    let mut queue = app.store.mail_queue().await.unwrap();
    assert_eq!(queue.len(), 1, "one mail queued: {queue:?}");
    queue.remove(0)
}

/// The PDF's text as poppler's `pdftotext` reads it, or None where poppler
/// is missing and this is not CI (as in the certificate tests).
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(output) => output,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("PDF text not checked: pdftotext is missing ({e})");
            return None;
        }
        Err(e) => panic!("pdftotext (Debian package poppler-utils): {e}"),
    };
    assert!(output.status.success());
    Some(
        String::from_utf8_lossy(&output.stdout)
            .chars()
            .filter(|c| {
                !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            })
            .collect(),
    )
}

async fn the_certificate_reaches_a_real_smtp_server_with_its_pdf(backend: Backend) {
    if !smtp_tools_ready() {
        return;
    }
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let app = TestApp::spawn_configured(backend, &fixture_courses(), smtp_on(port)).await;
    let amina = learner_with_email(&app, "amina", "أمينة خان", "ar").await;
    app.complete_first_steps().await;

    let raw = mails_at(&smtp, 1).await.remove(0);
    let mail = parse(&raw);
    let certificate = app.store.certificates_of(amina.id).await.unwrap().remove(0);
    let id = presto::certificate::issued::written_id(&certificate);
    let mut args = std::collections::HashMap::new();
    args.insert("course".into(), "First steps at work".into());
    assert_eq!(
        mail.subject(),
        Some(i18n::text_with("ar", "mail-certificate-subject", &args).as_str()),
        "the subject in Arabic"
    );
    let to = mail.to().and_then(|a| a.first()).expect("a recipient");
    assert_eq!(to.address(), Some("amina@example.org"));
    assert_eq!(to.name(), Some("أمينة خان"));
    assert_eq!(
        mail.from()
            .and_then(|a| a.first())
            .and_then(|a| a.address()),
        Some("presto@localhost")
    );
    // The server has the mail; the worker records that just after.
    let queued = eventually("the send recorded", async || {
        let mail = the_only_mail(&app).await;
        mail.sent_at.is_some().then_some(mail)
    })
    .await;
    assert!(
        mail.message_id()
            .is_some_and(|m| m.starts_with(&format!("presto.mail.{}.", queued.id))),
        "a Message-ID made from the queue row: {:?}",
        mail.message_id()
    );

    let text = mail.body_text(0).expect("a plain text part");
    assert!(
        text.contains(&i18n::text("ar", "mail-certificate-attached")),
        "{text}"
    );
    let verify_url = format!("{}/verify/{id}", app.address);
    assert!(text.contains(&verify_url), "the verify link: {text}");
    let html = mail.body_html(0).expect("an HTML part");
    assert!(
        html.contains("dir=\"rtl\"") && html.contains("lang=\"ar\""),
        "{html}"
    );
    assert!(html.contains(&i18n::text("ar", "mail-certificate-check-button")));

    let attachments: Vec<_> = mail.attachments().collect();
    assert_eq!(attachments.len(), 1, "the PDF only");
    let pdf = attachments[0];
    assert_eq!(
        pdf.attachment_name(),
        Some(format!("certificate-{id}.pdf").as_str())
    );
    let content_type = pdf.content_type().expect("a content type");
    assert_eq!(
        (content_type.ctype(), content_type.subtype()),
        ("application", Some("pdf"))
    );
    assert!(pdf.contents().starts_with(b"%PDF"));
    if let Some(words) = pdf_text(pdf.contents()) {
        assert!(words.contains(&id), "the certificate's id in the PDF");
        assert!(words.contains("أمينة خان"), "the learner's name: {words}");
    }

    assert!(queued.failed_at.is_none() && queued.last_error.is_none());
    assert_eq!(queued.attempts, 1);
    assert_eq!(smtp.mails().len(), 1, "sent once");
}

async fn with_the_smtp_server_down_the_mail_waits_and_goes_when_it_is_back(backend: Backend) {
    if !smtp_tools_ready() {
        return;
    }
    // Nothing listens on this port yet: the mail server is down.
    let port = free_port();
    let app = TestApp::spawn_configured(backend, &fixture_courses(), smtp_on(port)).await;
    learner_with_email(&app, "oleh", "Олег Коваленко", "uk").await;
    app.complete_first_steps().await;

    let waiting = eventually("two failed tries", async || {
        let mail = the_only_mail(&app).await;
        (mail.attempts >= 2).then_some(mail)
    })
    .await;
    assert!(waiting.sent_at.is_none() && waiting.failed_at.is_none());
    assert!(
        waiting
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("mail server")),
        "{:?}",
        waiting.last_error
    );

    let smtp = SmtpServer::start(port).await;
    let raw = mails_at(&smtp, 1).await.remove(0);
    let mut args = std::collections::HashMap::new();
    args.insert("course".into(), "First steps at work".into());
    assert_eq!(
        parse(&raw).subject(),
        Some(i18n::text_with("uk", "mail-certificate-subject", &args).as_str())
    );
    let sent = eventually("the send recorded", async || {
        let mail = the_only_mail(&app).await;
        mail.sent_at.is_some().then_some(mail)
    })
    .await;
    assert!(sent.attempts > waiting.attempts);
    // Retries are a second apart here: a second copy would be there by now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(smtp.mails().len(), 1, "delivered once");
}

async fn a_queued_mail_survives_a_restart(backend: Backend) {
    if !smtp_tools_ready() {
        return;
    }
    let port = free_port();
    let first = TestApp::spawn_configured(backend, &fixture_courses(), smtp_on(port)).await;
    learner_with_email(&first, "tigist", "ትግስት ሃይሌ", "en").await;
    first.complete_first_steps().await;
    eventually("a failed try", async || {
        let mail = the_only_mail(&first).await;
        (mail.attempts >= 1 && mail.claimed_until.is_none()).then_some(())
    })
    .await;
    first.stop().await;
    // Read with a store of our own: connections the stopped server opened
    // on its worker threads went with their runtimes.
    let store = presto::store::Store::connect(&first.database_url)
        .await
        .unwrap();
    let mut queue = store.mail_queue().await.unwrap();
    assert_eq!(queue.len(), 1, "one mail queued: {queue:?}");
    let before = queue.remove(0);
    assert!(
        before.sent_at.is_none(),
        "not sent while the server was down"
    );

    let smtp = SmtpServer::start(port).await;
    let second = first
        .restart_configured(&fixture_courses(), smtp_on(port))
        .await;
    let raw = mails_at(&smtp, 1).await.remove(0);
    assert!(
        parse(&raw)
            .to()
            .and_then(|a| a.first())
            .is_some_and(|a| a.address() == Some("tigist@example.org"))
    );
    eventually("the send recorded", async || {
        the_only_mail(&second).await.sent_at.map(|_| ())
    })
    .await;
}

async fn without_smtp_settings_mail_lands_in_the_outbox(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A learner without an email address gets a certificate and no mail.
    let no_email = app.another_browser();
    no_email.learner("nomail").await;
    no_email.complete_first_steps().await;
    assert!(app.store.mail_queue().await.unwrap().is_empty());

    learner_with_email(&app, "ana", "Ana Silva", "en").await;
    app.complete_first_steps().await;
    // Recorded as sent once the file is written whole.
    eventually("the mail written", async || {
        the_only_mail(&app).await.sent_at.map(|_| ())
    })
    .await;
    let outbox = app.data.join("outbox");
    let files = eml_files(&outbox);
    assert_eq!(files.len(), 1, "one mail in {}", outbox.display());
    let raw = &files[0];
    let mail = parse(raw);
    let mut args = std::collections::HashMap::new();
    args.insert("course".into(), "First steps at work".into());
    assert_eq!(
        mail.subject(),
        Some(i18n::text_with("en", "mail-certificate-subject", &args).as_str())
    );
    assert!(
        mail.attachments()
            .any(|a| a.contents().starts_with(b"%PDF"))
    );
    assert!(
        mail.body_text(0)
            .is_some_and(|t| t.contains("Hello Ana Silva"))
    );
}

/// The reset link in a password mail's plain text.
fn reset_link(raw: &[u8], site: &str) -> String {
    let mail = parse(raw);
    let text = mail.body_text(0).expect("plain text");
    let start = format!("{site}/password/reset/");
    text.lines()
        .find(|line| line.starts_with(&start))
        .unwrap_or_else(|| panic!("a reset link in: {text}"))
        .trim()
        .to_string()
}

async fn a_forgotten_password_is_reset_through_the_mailed_link(backend: Backend) {
    if !smtp_tools_ready() {
        return;
    }
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let app = TestApp::spawn_configured(backend, &fixture_courses(), smtp_on(port)).await;
    learner_with_email(&app, "amina", "Amina Yusuf", "en").await;
    let visitor = app.another_browser();
    let (status, login_page) = visitor.page("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(login_page.contains("href=\"/password/forgot\""));

    // Nobody by that name: the same answer, and no mail.
    let unknown = visitor
        .post_form("/password/forgot", &[("login", "nobody")])
        .await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown_page = unknown.text().await.unwrap();
    let known = visitor
        .post_form("/password/forgot", &[("login", "Amina")])
        .await;
    assert_eq!(known.status(), StatusCode::OK);
    assert_eq!(
        known.text().await.unwrap(),
        unknown_page,
        "the page does not tell who has an account"
    );
    assert!(unknown_page.contains(&i18n::text("en", "password-sent")));
    let queue = app.store.mail_queue().await.unwrap();
    assert_eq!(queue.len(), 1, "a mail for amina only");

    let raw = mails_at(&smtp, 1).await.remove(0);
    let mail = parse(&raw);
    assert_eq!(
        mail.subject(),
        Some(i18n::text("en", "mail-reset-subject").as_str())
    );
    assert_eq!(mail.attachments().count(), 0);
    let link = reset_link(&raw, &app.address);
    let path = link.trim_start_matches(&app.address).to_string();
    let token = path.trim_start_matches("/password/reset/").to_string();

    let (status, form) = visitor.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"password_again\"") && form.contains("amina"));
    let mismatch = visitor
        .post_form(
            &path,
            &[
                ("password", "a brand new secret"),
                ("password_again", "another secret"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::BAD_REQUEST);
    assert!(
        mismatch
            .text()
            .await
            .unwrap()
            .contains(&i18n::text("en", "password-mismatch"))
    );
    let changed = visitor
        .post_form(
            &path,
            &[
                ("password", "a brand new secret"),
                ("password_again", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert!(
        changed
            .text()
            .await
            .unwrap()
            .contains(&i18n::text("en", "password-changed"))
    );

    let old = visitor
        .post_form(
            "/login",
            &[("username", "amina"), ("password", "password123")],
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED, "the old password");
    visitor.sign_in("amina", "a brand new secret").await;

    let (status, again) = app.another_browser().page(&path).await;
    assert_eq!(status, StatusCode::GONE, "a link works once");
    assert!(again.contains(&i18n::text("en", "password-link-bad")));
    assert!(again.contains("href=\"/password/forgot\""));
    let reused = app
        .another_browser()
        .post_form(
            &path,
            &[
                ("password", "a third secret!"),
                ("password_again", "a third secret!"),
            ],
        )
        .await;
    assert_eq!(reused.status(), StatusCode::GONE);
    let sent = eventually("the send recorded", async || {
        let mail = the_only_mail(&app).await;
        mail.sent_at.is_some().then_some(mail)
    })
    .await;
    assert!(
        !sent.payload.contains(&token),
        "no working token left in the queue"
    );

    // By email address, in any case, works too.
    visitor
        .post_form("/password/forgot", &[("login", "AMINA@Example.org")])
        .await;
    let raw = mails_at(&smtp, 2).await.remove(1);
    let second = reset_link(&raw, &app.address);
    assert_ne!(second, link, "a new link");

    // Used in a browser signed in to the account: that browser signs in
    // again with the new password, like every other.
    assert_eq!(visitor.page("/progress").await.0, StatusCode::OK);
    let second_path = second.trim_start_matches(&app.address).to_string();
    let changed_again = visitor
        .post_form(
            &second_path,
            &[
                ("password", "a third secret!"),
                ("password_again", "a third secret!"),
            ],
        )
        .await;
    assert_eq!(changed_again.status(), StatusCode::OK);
    let (status, _) = visitor.page("/progress").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
    visitor.sign_in("amina", "a third secret!").await;
}

/// The mail server goes away while learners earn certificates, Presto is
/// restarted during the outage, and the mail server comes back: every
/// queued mail is delivered, each once (issue 22's SMTP scenario; the
/// `FAULTS` line feeds `bench/faults.sh`).
async fn an_smtp_outage_with_a_restart_in_it_loses_no_mail(backend: Backend) {
    if !smtp_tools_ready() {
        return;
    }
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let first = TestApp::spawn_configured(backend, &fixture_courses(), smtp_on(port)).await;
    let earn = async |app: &TestApp, username: String| {
        let browser = app.another_browser();
        learner_with_email(&browser, &username, "Amina Yusuf", "en").await;
        browser.complete_first_steps().await;
    };
    for n in 0..4 {
        earn(&first, format!("before{n}")).await;
    }
    let before_outage = mails_at(&smtp, 4).await.len();

    drop(smtp);
    for n in 0..4 {
        earn(&first, format!("during{n}")).await;
    }
    eventually(
        "a failed try for each mail queued in the outage",
        async || {
            let queue = first.store.mail_queue().await.ok()?;
            let waiting = queue
                .iter()
                .filter(|m| m.sent_at.is_none() && m.attempts >= 1 && m.claimed_until.is_none())
                .count();
            (waiting == 4).then_some(())
        },
    )
    .await;
    first.stop().await;
    let second = first
        .restart_configured(&fixture_courses(), smtp_on(port))
        .await;
    for n in 0..2 {
        earn(&second, format!("restarted{n}")).await;
    }

    let smtp = SmtpServer::start(port).await;
    let after_outage = mails_at(&smtp, 6).await;
    // Retries are a second apart here: a second copy would be there by now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_outage = smtp.mails().len().max(after_outage.len());
    assert_eq!(
        after_outage, 6,
        "each mail queued in the outage arrives once"
    );
    let mut recipients: Vec<String> = smtp
        .mails()
        .iter()
        .filter_map(|raw| {
            parse(raw)
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .map(str::to_string)
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(
        recipients.len(),
        6,
        "six different learners: {recipients:?}"
    );
    let queued = 10;
    let delivered = before_outage + after_outage;
    assert_eq!(delivered, queued);
    println!(
        "FAULTS | SMTP outage with a restart, {:?} | {queued} mails | 0 | 0 | 0 | {} |",
        second.store.backend(),
        queued - delivered
    );
    second.stop().await;
}
