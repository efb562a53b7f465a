//! Signed-in sessions are kept on the server: signing out ends a session
//! everywhere, copies of its cookie included; "Sign out on all devices"
//! ends every session and API token of the account; a session idle or old
//! beyond the settings is refused whatever its cookie says; ended sessions
//! are deleted.

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use presto::domain::names::Role;
use presto::store::sessions::session;
use presto::store::users::Account;
use reqwest::StatusCode;
use reqwest::cookie::{CookieStore, Jar};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses, hidden_field, location};

on_both_databases!(
    signing_out_ends_every_copy_of_the_cookie,
    sign_out_on_all_devices_ends_every_session_and_token,
    an_idle_session_is_refused,
    a_session_ends_at_its_absolute_lifetime,
    a_new_password_or_erasure_ends_the_sessions_at_once,
    ended_sessions_are_deleted,
    changing_ones_own_password_keeps_this_browser_and_ends_the_rest,
    an_app_changes_its_own_password,
);

/// A browser whose cookies the test can read, to copy them.
fn browser_with_jar(app: &TestApp) -> (TestApp, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let mut browser = app.another_browser();
    browser.client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (browser, jar)
}

/// Another browser with a copy of every cookie in `jar` (as someone who
/// took them from a shared phone would have).
fn copy_of(app: &TestApp, jar: &Jar) -> TestApp {
    let url: reqwest::Url = app.address.parse().expect("url");
    let cookies = jar
        .cookies(&url)
        .and_then(|header| header.to_str().ok().map(str::to_string))
        .expect("the browser has cookies");
    assert!(cookies.contains("presto="), "{cookies}");
    let copy_jar = Arc::new(Jar::default());
    for cookie in cookies.split("; ") {
        copy_jar.add_cookie_str(cookie, &url);
    }
    let mut copy = app.another_browser();
    copy.client = reqwest::Client::builder()
        .cookie_provider(copy_jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    copy
}

/// Creates a class as a tutor with this CSRF token: the response.
async fn create_class(browser: &TestApp, csrf: &str, name: &str) -> reqwest::Response {
    browser
        .client
        .post(browser.url("/classes"))
        .form(&[
            ("csrf", csrf),
            ("name", name),
            ("sector", "warehousing"),
            ("course", "first-steps"),
        ])
        .send()
        .await
        .expect("POST")
}

async fn signed_in(browser: &TestApp) -> bool {
    let response = browser.get("/progress").await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER if location(&response).starts_with("/login") => false,
        status => panic!("/progress answered {status}"),
    }
}

async fn signing_out_ends_every_copy_of_the_cookie(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("tess", Role::Tutor, "password123").await;
    let (phone, jar) = browser_with_jar(&app);
    phone.sign_in("tess", "password123").await;
    // Someone copies the cookie off the shared phone, and a second
    // instance behind the same load balancer serves them.
    let copy = copy_of(&app, &jar);
    let second = app.restart_with(&fixture_courses()).await;
    let mut copy_elsewhere = copy.another_browser();
    copy_elsewhere.client = copy.client.clone();
    copy_elsewhere.address = second.address.clone();
    assert!(signed_in(&copy).await, "the copy works while signed in");
    assert!(signed_in(&copy_elsewhere).await, "on every instance");
    let (_, page) = copy.page("/classes/new").await;
    let copied_csrf = hidden_field(&page, "csrf").expect("the form's token");
    let made = create_class(&copy, &copied_csrf, "Made with the copy").await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    assert!(location(&made).starts_with("/classes/"));

    let out = phone.post_form("/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);

    assert!(!signed_in(&phone).await);
    let (status, _) = copy.page("/classes").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the copy no longer opens a page"
    );
    assert!(
        !signed_in(&copy_elsewhere).await,
        "nor on the other instance"
    );
    let stolen = create_class(&copy, &copied_csrf, "Made after signing out").await;
    assert_eq!(stolen.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&stolen).starts_with("/login"),
        "the copy is sent to sign in, not to a new class: {}",
        location(&stolen)
    );
    let stolen = create_class(&copy_elsewhere, &copied_csrf, "Made after signing out").await;
    assert!(location(&stolen).starts_with("/login"));

    let tutor = app.another_browser();
    tutor.sign_in("tess", "password123").await;
    let (_, classes) = tutor.page("/classes").await;
    assert!(classes.contains("Made with the copy"));
    assert!(
        !classes.contains("Made after signing out"),
        "no class was made with the copied cookie"
    );
    // Signing in again on the phone starts a new session; the copy of the
    // old one stays dead.
    phone.sign_in("tess", "password123").await;
    assert!(signed_in(&phone).await);
    assert!(!signed_in(&copy).await);
}

async fn sign_out_on_all_devices_ends_every_session_and_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("amina", Role::Learner, "password123").await;
    let devices: Vec<TestApp> = (0..3).map(|_| app.another_browser()).collect();
    for device in &devices {
        device.sign_in("amina", "password123").await;
    }
    let token = app.token("amina", "password123").await;
    let someone_else = app.another_browser();
    someone_else.learner("bilal").await;
    let bilal_token = app.token("bilal", "password123").await;
    let api_progress = |token: String| {
        let api = app.api(token);
        async move { api.get("/api/v1/me/progress").await.0 }
    };
    assert_eq!(api_progress(token.clone()).await, StatusCode::OK);

    let (status, page) = devices[0].page("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("amina Test"),
        "the account page names the person"
    );
    assert!(
        page.contains("You are signed in on 3 phones or computers"),
        "{page}"
    );
    assert!(page.contains("Sign out on all devices"));
    let (_, home) = devices[0].page("/").await;
    assert!(home.contains("href=\"/account\""), "the menu links to it");

    // Another site cannot post the form: no token, nothing ends.
    let forged = devices[1]
        .client
        .post(devices[1].url("/account/sign-out-everywhere"))
        .form(&[("csrf", "not-the-token")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(signed_in(&devices[1]).await);
    // A visitor is sent to sign in.
    let visitor = app.another_browser();
    let response = visitor.post_form("/account/sign-out-everywhere", &[]).await;
    assert!(location(&response).starts_with("/login"));
    assert_eq!(
        visitor.get("/account").await.status(),
        StatusCode::SEE_OTHER
    );

    let stale_csrf = devices[2].csrf().await;
    let everywhere = devices[1]
        .post_form("/account/sign-out-everywhere", &[])
        .await;
    assert_eq!(everywhere.status(), StatusCode::SEE_OTHER);
    for (n, device) in devices.iter().enumerate() {
        assert!(!signed_in(device).await, "device {n} is signed out");
    }
    assert_eq!(
        api_progress(token).await,
        StatusCode::UNAUTHORIZED,
        "apps are signed out too"
    );
    assert!(
        signed_in(&someone_else).await,
        "other people stay signed in"
    );
    assert_eq!(api_progress(bilal_token).await, StatusCode::OK);

    // A device still showing a page can sign out as a visitor would, not
    // meet "this form is out of date".
    let out = devices[2]
        .client
        .post(devices[2].url("/logout"))
        .form(&[("csrf", stale_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    devices[0].sign_in("amina", "password123").await;
    let (_, page) = devices[0].page("/account").await;
    assert!(page.contains("You are signed in on 1 phone or computer"));
}

/// Moves the stored times of every session of `account` back.
async fn age_sessions(app: &TestApp, account: &Account, created: TimeDelta, last_seen: TimeDelta) {
    let now = Utc::now();
    session::Entity::update_many()
        .col_expr(session::Column::CreatedAt, Expr::value(now - created))
        .col_expr(session::Column::LastSeenAt, Expr::value(now - last_seen))
        .filter(session::Column::UserId.eq(account.id))
        .exec(app.store.db())
        .await
        .expect("sessions aged");
}

async fn sessions_of(app: &TestApp, account: &Account) -> Vec<session::Model> {
    session::Entity::find()
        .filter(session::Column::UserId.eq(account.id))
        .all(app.store.db())
        .await
        .expect("sessions")
}

async fn an_idle_session_is_refused(backend: Backend) {
    // The defaults: a week idle.
    let app = TestApp::spawn(backend).await;
    let account = app.learner("amina").await;
    age_sessions(
        &app,
        &account,
        TimeDelta::days(8),
        TimeDelta::days(7) - TimeDelta::minutes(5),
    )
    .await;
    assert!(signed_in(&app).await, "used within the week: still good");
    let touched = sessions_of(&app, &account).await;
    assert_eq!(touched.len(), 1);
    assert!(
        Utc::now() - touched[0].last_seen_at < TimeDelta::minutes(1),
        "using it moved its last use to now"
    );

    age_sessions(
        &app,
        &account,
        TimeDelta::days(8),
        TimeDelta::days(7) + TimeDelta::minutes(1),
    )
    .await;
    assert!(!signed_in(&app).await, "unused for a week: ended");
    assert!(sessions_of(&app, &account).await.is_empty(), "and deleted");

    // A shorter setting is honoured.
    let strict = app
        .restart_configured(&fixture_courses(), |settings| {
            settings.session_idle_hours = 2;
        })
        .await;
    let browser = strict.another_browser();
    browser.sign_in("amina", "password123").await;
    age_sessions(
        &strict,
        &account,
        TimeDelta::hours(3),
        TimeDelta::minutes(110),
    )
    .await;
    assert!(signed_in(&browser).await);
    age_sessions(
        &strict,
        &account,
        TimeDelta::hours(3),
        TimeDelta::minutes(121),
    )
    .await;
    assert!(!signed_in(&browser).await, "two hours idle: ended");
}

async fn a_session_ends_at_its_absolute_lifetime(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.learner("amina").await;
    // In use every day, but signed in 30 days ago (the default).
    age_sessions(
        &app,
        &account,
        TimeDelta::days(30) - TimeDelta::minutes(5),
        TimeDelta::hours(2),
    )
    .await;
    assert!(signed_in(&app).await);
    age_sessions(
        &app,
        &account,
        TimeDelta::days(30) + TimeDelta::minutes(1),
        TimeDelta::seconds(10),
    )
    .await;
    assert!(!signed_in(&app).await, "30 days after signing in: ended");
    assert!(sessions_of(&app, &account).await.is_empty());

    let strict = app
        .restart_configured(&fixture_courses(), |settings| {
            settings.session_max_hours = 12;
        })
        .await;
    let browser = strict.another_browser();
    browser.sign_in("amina", "password123").await;
    age_sessions(&strict, &account, TimeDelta::hours(11), TimeDelta::zero()).await;
    assert!(signed_in(&browser).await);
    age_sessions(&strict, &account, TimeDelta::hours(13), TimeDelta::zero()).await;
    assert!(
        !signed_in(&browser).await,
        "12 hours after signing in: ended"
    );
}

async fn a_new_password_or_erasure_ends_the_sessions_at_once(backend: Backend) {
    // The default account_refresh_secs (a minute): the session check, not
    // the account's copy in the cookie, ends the session.
    let app = TestApp::spawn(backend).await;
    let phone = app.another_browser();
    let account = phone.learner("olena").await;
    assert!(signed_in(&phone).await);
    app.store
        .set_password_hash(account.id, "$argon2id$a-new-one")
        .await
        .unwrap();
    assert!(!signed_in(&phone).await, "a new password ends it at once");
    assert!(sessions_of(&app, &account).await.is_empty());

    let learner = app.another_browser();
    let erased = learner.learner("yusuf").await;
    assert!(signed_in(&learner).await);
    app.store.erase_learner(erased.id).await.unwrap();
    assert!(!signed_in(&learner).await, "erasure ends it");
    assert!(sessions_of(&app, &erased).await.is_empty());
}

async fn ended_sessions_are_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let amina = app.learner("amina").await;
    let bilal = app.another_browser().learner("bilal").await;
    age_sessions(&app, &amina, TimeDelta::days(40), TimeDelta::days(40)).await;
    age_sessions(&app, &bilal, TimeDelta::days(10), TimeDelta::days(8)).await;
    // Signing in again deletes the person's own ended sessions.
    app.another_browser().sign_in("amina", "password123").await;
    let left = sessions_of(&app, &amina).await;
    assert_eq!(left.len(), 1, "only the new session");
    assert!(Utc::now() - left[0].created_at < TimeDelta::minutes(1));
    // Everyone's, now and then.
    let pruned = app
        .store
        .prune_sessions(
            presto::store::now(),
            &presto::config::Settings::default().session_limits(),
        )
        .await
        .unwrap();
    assert_eq!(pruned, 1, "bilal's idle session");
    assert!(sessions_of(&app, &bilal).await.is_empty());
    assert_eq!(sessions_of(&app, &amina).await.len(), 1);
    // Signing in again in the same browser replaces its session.
    let browser = app.another_browser();
    browser.sign_in("bilal", "password123").await;
    browser.sign_in("bilal", "password123").await;
    assert_eq!(sessions_of(&app, &bilal).await.len(), 1);
    assert!(signed_in(&browser).await);
}

on_both_databases!(an_app_can_sign_out_on_all_devices);

async fn an_app_can_sign_out_on_all_devices(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.learner("amina").await;
    let token = app.token("amina", "password123").await;
    let other_token = app.token("amina", "password123").await;
    const EVERYWHERE: &str = "/api/v1/auth/sign-out-everywhere";
    // No Authorization header at all.
    let without = reqwest::Client::new()
        .post(app.url(EVERYWHERE))
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = app.api("not-a-token").post(EVERYWHERE, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(signed_in(&app).await, "nothing ended");

    let (status, _) = app.api(&token).post(EVERYWHERE, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!signed_in(&app).await, "the browser is signed out");
    for token in [token, other_token] {
        let (status, _) = app.api(token).get("/api/v1/me/progress").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "every token has ended");
    }
}

/// Changes the password on the account page of `browser`: the response.
async fn change_password(
    browser: &TestApp,
    current: &str,
    new: &str,
    again: &str,
) -> reqwest::Response {
    browser
        .post_form(
            "/account/password",
            &[
                ("current", current),
                ("password", new),
                ("password_again", again),
            ],
        )
        .await
}

async fn changing_ones_own_password_keeps_this_browser_and_ends_the_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user("amina", Role::Learner, "password123").await;
    let phone = app.another_browser();
    let laptop = app.another_browser();
    phone.sign_in("amina", "password123").await;
    laptop.sign_in("amina", "password123").await;
    let token = app.token("amina", "password123").await;
    let (_, page) = phone.page("/account").await;
    assert!(page.contains("Change your password"), "{page}");
    assert!(page.contains("action=\"/account/password\""));

    // Another site cannot post the form.
    let forged = phone
        .client
        .post(phone.url("/account/password"))
        .form(&[
            ("csrf", "not-the-token"),
            ("current", "password123"),
            ("password", "a new secret"),
            ("password_again", "a new secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    // A visitor is sent to sign in.
    let visitor = app.another_browser();
    let response = change_password(&visitor, "password123", "a new secret", "a new secret").await;
    assert!(location(&response).starts_with("/login"));

    // The same rules as registering, and the two must match.
    let short = change_password(&phone, "password123", "short", "short").await;
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("at least 8 characters")
    );
    let mismatch = change_password(&phone, "password123", "a new secret", "a new secrет").await;
    assert_eq!(mismatch.status(), StatusCode::BAD_REQUEST);
    assert!(mismatch.text().await.unwrap().contains("are not the same"));
    let wrong = change_password(&phone, "not my password", "a new secret", "a new secret").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Your password now is not right")
    );
    assert!(signed_in(&laptop).await, "nothing changed yet");

    let changed = change_password(&phone, "password123", "a new secret", "a new secret").await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert!(
        changed
            .text()
            .await
            .unwrap()
            .contains("Your password is changed")
    );
    assert!(signed_in(&phone).await, "the browser that changed it stays");
    let (status, page) = phone.page("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("You are signed in on 1 phone or computer"),
        "{page}"
    );
    assert!(!signed_in(&laptop).await, "the other browser is signed out");
    let (status, _) = app.api(token).get("/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an app's old token ends");

    let old = app
        .another_browser()
        .post_form(
            "/login",
            &[("username", "amina"), ("password", "password123")],
        )
        .await;
    assert_eq!(
        old.status(),
        StatusCode::UNAUTHORIZED,
        "the old password is refused"
    );
    laptop.sign_in("amina", "a new secret").await;
    assert!(signed_in(&laptop).await);

    // Guessing the password on a borrowed, signed-in phone slows down as
    // signing in does.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            change_password(&phone, "a guess", "another one", "another one")
                .await
                .status(),
        );
    }
    assert_eq!(statuses[..5], [StatusCode::UNAUTHORIZED; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    assert!(
        signed_in(&phone).await,
        "guessing does not sign the phone out"
    );
}

async fn an_app_changes_its_own_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.learner("amina").await;
    let token = app.token("amina", "password123").await;
    let other_token = app.token("amina", "password123").await;
    const PASSWORD: &str = "/api/v1/me/password";
    let (status, _) = app
        .api("not-a-token")
        .put(
            PASSWORD,
            json!({"current": "password123", "new": "a new secret"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .api(&token)
        .put(
            PASSWORD,
            json!({"current": "wrong password", "new": "a new secret"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .api(&token)
        .put(PASSWORD, json!({"current": "password123", "new": "short"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("at least 8 characters"), "{body}");

    let (status, body) = app
        .api(&token)
        .put(
            PASSWORD,
            json!({"current": "password123", "new": "a new secret"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fresh = body["token"].as_str().expect("a new token").to_string();
    assert!(!signed_in(&app).await, "the browser is signed out");
    for old in [token, other_token] {
        let (status, _) = app.api(old).get("/api/v1/me/progress").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "every old token has ended"
        );
    }
    let (status, _) = app.api(fresh).get("/api/v1/me/progress").await;
    assert_eq!(status, StatusCode::OK, "the app goes on with its new token");
    app.token("amina", "a new secret").await;
}
