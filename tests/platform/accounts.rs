//! Accounts: registering, signing in and out, CSRF, throttling, the first
//! admin, the language picker, and `presto user add`.

use std::io::Write;
use std::process::{Command, Stdio};

use presto::domain::names::Role;
use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, browser, hidden_field, location};

on_both_databases!(
    a_learner_registers_signs_out_and_in_again,
    forms_without_the_csrf_token_are_refused,
    guessing_passwords_is_throttled,
    the_first_admin_comes_from_a_one_time_link,
    an_admin_can_close_self_registration,
    the_language_is_remembered_per_user,
    the_erased_form_cannot_be_registered,
    staff_start_on_their_classes,
);

async fn a_learner_registers_signs_out_and_in_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let registered = app
        .post_form(
            "/register",
            &[
                ("username", "Amina.K"),
                ("full_name", "أمينة خان"),
                ("email", ""),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    let (_, progress) = app.page("/progress").await;
    assert!(
        progress.contains("أمينة خان"),
        "the name in Arabic script, as typed"
    );

    let taken = app
        .another_browser()
        .post_form(
            "/register",
            &[
                ("username", "amina.k"),
                ("full_name", "Other"),
                ("password", "12345678"),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::BAD_REQUEST);
    assert!(
        taken
            .text()
            .await
            .unwrap()
            .contains("This username is taken")
    );

    let bad = app
        .another_browser()
        .post_form(
            "/register",
            &[
                ("username", "a b"),
                ("full_name", " "),
                ("email", "nope"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let page = bad.text().await.unwrap();
    for message in [
        "A username needs",
        "write your full name",
        "email address",
        "at least 8",
    ] {
        assert!(page.contains(message), "every problem at once: {message}");
    }

    let out = app.post_form("/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = app.get("/progress").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "signed out");
    assert_eq!(location(&after), "/login?next=%2Fprogress");

    let wrong = app
        .post_form("/login", &[("username", "amina.k"), ("password", "not it")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("The username or password is wrong")
    );
    let right = app
        .post_form(
            "/login",
            &[
                ("username", "AMINA.K"),
                ("password", "a long password"),
                ("next", "/progress"),
            ],
        )
        .await;
    assert_eq!(location(&right), "/progress");
    let offsite = app
        .another_browser()
        .post_form(
            "/login",
            &[
                ("username", "amina.k"),
                ("password", "a long password"),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(location(&offsite), "/", "never redirected off the site");
}

/// Nobody can sign up as `erased-<id>`: not to pass for an erased learner,
/// and not to take the name a later erasure would give.
async fn the_erased_form_cannot_be_registered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for username in ["erased-2", "Erased-2", " erased-7-2 "] {
        let refused = app
            .another_browser()
            .post_form(
                "/register",
                &[
                    ("username", username),
                    ("full_name", "Someone"),
                    ("email", ""),
                    ("password", "a long password"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{username}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("kept for erased accounts"), "{page}");
        assert!(
            app.store.credentials(username).await.unwrap().is_none(),
            "{username}"
        );
    }
    // In the viewer's language.
    let farsi = app.another_browser();
    farsi.post_form("/language", &[("lang", "fa")]).await;
    let refused = farsi
        .post_form(
            "/register",
            &[
                ("username", "erased-2"),
                ("full_name", "Someone"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("حساب‌های پاک‌شده"));
}

async fn forms_without_the_csrf_token_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("tomas", Role::Learner, "password123").await;
    let _ = app.page("/login").await;
    for (path, form) in [
        (
            "/login",
            vec![("username", "tomas"), ("password", "password123")],
        ),
        (
            "/register",
            vec![
                ("username", "newone"),
                ("full_name", "New"),
                ("password", "password123"),
            ],
        ),
        ("/language", vec![("lang", "ar")]),
        ("/logout", vec![]),
    ] {
        let mut with_bad_token = form.clone();
        with_bad_token.push(("csrf", "forged"));
        for fields in [form, with_bad_token] {
            let response = app
                .client
                .post(app.url(path))
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::BAD_REQUEST,
                "{path} {fields:?}"
            );
            assert!(
                response
                    .text()
                    .await
                    .unwrap()
                    .contains("This form is out of date")
            );
        }
    }
    let signed_in = app.get("/progress").await;
    assert_eq!(
        signed_in.status(),
        StatusCode::SEE_OTHER,
        "the forged login did nothing"
    );
}

async fn guessing_passwords_is_throttled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("leyla", Role::Learner, "password123").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let response = app
            .post_form("/login", &[("username", "leyla"), ("password", "guess")])
            .await;
        statuses.push(response.status());
    }
    assert_eq!(&statuses[..5], &[StatusCode::UNAUTHORIZED; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    let right = app
        .post_form(
            "/login",
            &[("username", "leyla"), ("password", "password123")],
        )
        .await;
    assert_eq!(
        right.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right one waits"
    );
    assert_eq!(
        right
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1"),
        "and is told for how long"
    );
    let text = right.text().await.unwrap();
    assert!(text.contains("wait a little"), "{text}");
}

async fn the_first_admin_comes_from_a_one_time_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let link = app
        .admin_setup_url
        .clone()
        .expect("a set-up link with no admin");
    let (status, page) = app.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Make the admin account"));
    let (status, _) = app.page("/setup/not-the-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let made = app
        .post_form(
            &link,
            &[
                ("username", "admin"),
                ("full_name", "Site Admin"),
                ("password", "admin password"),
            ],
        )
        .await;
    assert_eq!(location(&made), "/admin");
    let (status, admin) = app.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(admin.contains("2 courses published"));
    let (status, _) = app.another_browser().page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the link works once");
    let restarted = app.restart_with(&crate::support::fixture_courses()).await;
    assert!(
        restarted.admin_setup_url.is_none(),
        "no link once there is an admin"
    );
}

async fn an_admin_can_close_self_registration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("boss", Role::Admin, "password123").await;
    app.sign_in("boss", "password123").await;
    let closed = app
        .post_form("/admin/registration", &[("open", "off")])
        .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let visitor = app.another_browser();
    let (status, _) = visitor.page("/register").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, login) = visitor.page("/login").await;
    assert!(!login.contains("href=\"/register\""));
    app.post_form("/admin/registration", &[("open", "on")])
        .await;
    let (status, _) = visitor.page("/register").await;
    assert_eq!(status, StatusCode::OK);
}

async fn the_language_is_remembered_per_user(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, page) = app.page("/").await;
    assert!(page.contains("<html lang=\"en-GB\" dir=\"ltr\">"));

    // The browser asks for Arabic: the first page is already in Arabic.
    let arabic_browser = app
        .client
        .get(app.url("/login"))
        .header("Accept-Language", "ar-SY,ar;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(arabic_browser.contains("<html lang=\"ar\" dir=\"rtl\">"));

    app.learner("samir").await;
    let chosen = app.post_form("/language", &[("lang", "fa")]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page("/").await;
    assert!(
        page.contains("<html lang=\"fa-AF\" dir=\"rtl\">"),
        "Dari, right to left"
    );

    // Signing in on another phone brings the language along.
    let phone = app.another_browser();
    phone.sign_in("samir", "password123").await;
    let (_, page) = phone.page("/progress").await;
    assert!(page.contains("<html lang=\"fa-AF\" dir=\"rtl\">"));
    assert!(!page.contains(">My progress<"), "interface strings in Dari");

    let unknown = app.post_form("/language", &[("lang", "xx")]).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presto_user_add_makes_an_account_that_can_sign_in() {
    let data = tempfile::TempDir::new().unwrap();
    let run = |args: &[&str], password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_presto"))
            .args(args)
            .arg("--data")
            .arg(data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A command that refuses its arguments exits before reading the
        // password, so the pipe may be closed already: that is fine.
        let _ = child.stdin.take().unwrap().write_all(password.as_bytes());
        child.wait_with_output().unwrap()
    };
    let added = run(
        &[
            "user",
            "add",
            "tutor.tigist",
            "--role",
            "tutor",
            "--name",
            "ትግስት ሃይሌ",
            "--password-stdin",
        ],
        "tutor password\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        String::from_utf8_lossy(&added.stdout).contains("Added tutor.tigist (ትግስት ሃይሌ) as tutor")
    );

    let again = run(
        &[
            "user",
            "add",
            "tutor.tigist",
            "--role",
            "tutor",
            "--name",
            "X",
            "--password-stdin",
        ],
        "tutor password\n",
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is taken"));
    let bad_role = run(
        &[
            "user",
            "add",
            "someone",
            "--role",
            "boss",
            "--name",
            "X",
            "--password-stdin",
        ],
        "tutor password\n",
    );
    assert_eq!(bad_role.status.code(), Some(2));
    let reserved = run(
        &[
            "user",
            "add",
            "erased-1",
            "--role",
            "learner",
            "--name",
            "X",
            "--password-stdin",
        ],
        "a long password\n",
    );
    assert_eq!(reserved.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&reserved.stderr).contains("kept for erased accounts"));
    let short = run(
        &[
            "user",
            "add",
            "someone",
            "--role",
            "learner",
            "--name",
            "X",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(short.status.code(), Some(2));

    let url = format!(
        "sqlite://{}?mode=rwc",
        data.path().join("presto.db").display()
    );
    let app = TestApp::start_on(url, data.path()).await;
    let client = browser();
    let (_, login) = (
        (),
        client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let csrf = hidden_field(&login, "csrf").unwrap();
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "tutor.tigist"),
            ("password", "tutor password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

on_both_databases!(a_session_works_on_every_instance_with_the_same_key);

/// Two instances behind a load balancer share the database and the
/// session key: a learner signed in on one is signed in on the other.
async fn a_session_works_on_every_instance_with_the_same_key(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    first.learner("mariam").await;
    let second = first.restart_with(&crate::support::fixture_courses()).await;
    assert_ne!(first.address, second.address);
    // Same browser (cookies are per host, not per port), other instance.
    let response = first
        .client
        .get(second.url("/progress"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("mariam Test"));
}

/// Tutors, coordinators and admins land on their classes after signing in,
/// learners on the catalogue; a page to go back to wins for everyone.
async fn staff_start_on_their_classes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (name, role, start) in [
        ("lena", Role::Learner, "/"),
        ("tess", Role::Tutor, "/classes"),
        ("cora", Role::Coordinator, "/classes"),
        ("ada", Role::Admin, "/classes"),
    ] {
        app.add_user(name, role, "password123").await;
        let browser = app.another_browser();
        // The form sends `next` as the sign-in page filled it in: "/".
        let (_, form) = browser.page("/login").await;
        let next = hidden_field(&form, "next").expect("the form's next");
        let response = browser
            .post_form(
                "/login",
                &[
                    ("username", name),
                    ("password", "password123"),
                    ("next", &next),
                ],
            )
            .await;
        assert_eq!(location(&response), start, "{name} starts on {start}");
        let (status, page) = browser.page(start).await;
        assert_eq!(status, StatusCode::OK, "{page}");

        let browser = app.another_browser();
        let response = browser
            .post_form(
                "/login",
                &[
                    ("username", name),
                    ("password", "password123"),
                    ("next", "/certificates"),
                ],
            )
            .await;
        assert_eq!(location(&response), "/certificates", "{name} goes back");
    }
}
