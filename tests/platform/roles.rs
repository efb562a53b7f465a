//! Every route against every role: who may use it, who is sent to sign in,
//! who is refused. Add each new route here with its rule.

use presto::domain::names::Role;
use reqwest::{Method, StatusCode};

use crate::on_both_databases;
use crate::support::{Backend, TestApp, location};

on_both_databases!(every_route_checks_the_role);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account; visitors are sent to sign in (pages) or get
    /// 401 (API).
    SignedIn,
    /// Only these roles; other accounts get 403.
    Only(&'static [Role]),
}

/// Class routes: the class's tutor (the matrix's tutor teaches class 1, made
/// in the setup below), coordinators and admins. Another tutor's 403 is
/// checked in class_progress.rs.
const CLASS_STAFF: &[Role] = &[Role::Tutor, Role::Coordinator, Role::Admin];

/// Every route of the app with its rule. Forms are posted with a valid
/// CSRF token so the role check, not the token, decides.
const ROUTES: &[(&str, &str, Rule)] = &[
    ("GET", "/", Rule::Public),
    ("GET", "/healthz", Rule::Public),
    ("GET", "/assets/app.css", Rule::Public),
    ("GET", "/favicon.ico", Rule::Public),
    ("GET", "/login", Rule::Public),
    ("GET", "/register", Rule::Public),
    ("GET", "/password/forgot", Rule::Public),
    ("POST", "/password/forgot", Rule::Public),
    ("GET", "/password/reset/not-a-real-token", Rule::Public),
    ("POST", "/password/reset/not-a-real-token", Rule::Public),
    ("GET", "/courses/first-steps", Rule::Public),
    ("GET", "/progress", Rule::SignedIn),
    ("POST", "/courses/first-steps/enrol", Rule::SignedIn),
    ("GET", "/courses/first-steps/lessons/hello", Rule::SignedIn),
    (
        "POST",
        "/courses/first-steps/lessons/hello/done",
        Rule::SignedIn,
    ),
    (
        "GET",
        "/courses/first-steps/lessons/first-quiz",
        Rule::SignedIn,
    ),
    (
        "POST",
        "/courses/first-steps/lessons/first-quiz/attempts",
        Rule::SignedIn,
    ),
    ("GET", "/admin", Rule::Only(&[Role::Admin])),
    ("POST", "/admin/registration", Rule::Only(&[Role::Admin])),
    ("GET", "/api/v1/openapi.json", Rule::Public),
    ("GET", "/api/v1/courses", Rule::Public),
    ("GET", "/api/v1/courses/first-steps", Rule::Public),
    ("POST", "/api/v1/courses/first-steps/enrol", Rule::SignedIn),
    (
        "GET",
        "/api/v1/courses/first-steps/lessons/hello",
        Rule::SignedIn,
    ),
    (
        "POST",
        "/api/v1/courses/first-steps/lessons/hello/complete",
        Rule::SignedIn,
    ),
    (
        "POST",
        "/api/v1/courses/first-steps/lessons/first-quiz/attempts",
        Rule::SignedIn,
    ),
    ("GET", "/api/v1/me/progress", Rule::SignedIn),
    // Sent without a body, so nothing changes (changing it is checked in
    // sessions.rs).
    ("PUT", "/api/v1/me/password", Rule::SignedIn),
    ("GET", "/certificates", Rule::SignedIn),
    ("GET", "/classes", Rule::SignedIn),
    (
        "GET",
        "/classes/new",
        Rule::Only(&[Role::Tutor, Role::Admin]),
    ),
    ("POST", "/classes", Rule::Only(&[Role::Tutor, Role::Admin])),
    ("GET", "/join", Rule::SignedIn),
    ("POST", "/join", Rule::Only(&[Role::Learner])),
    ("GET", "/api/v1/classes", Rule::SignedIn),
    (
        "POST",
        "/api/v1/classes",
        Rule::Only(&[Role::Tutor, Role::Admin]),
    ),
    ("POST", "/api/v1/classes/join", Rule::Only(&[Role::Learner])),
    ("GET", "/verify", Rule::Public),
    ("GET", "/verify/K7MX-3QPA-X", Rule::Public),
    ("GET", "/.well-known/did.json", Rule::Public),
    (
        "GET",
        "/manage/certificates",
        Rule::Only(&[Role::Coordinator, Role::Admin]),
    ),
    ("GET", "/api/v1/certificates/K7MX-3QPA-X", Rule::Public),
    ("GET", "/api/v1/me/certificates", Rule::SignedIn),
    (
        "POST",
        "/api/v1/certificates/K7MX-3QPA-X/revoke",
        Rule::Only(&[Role::Coordinator, Role::Admin]),
    ),
    (
        "POST",
        "/certificates/K7MX-3QPA-X/revoke",
        Rule::Only(&[Role::Coordinator, Role::Admin]),
    ),
    ("GET", "/assets/editor.js", Rule::Public),
    ("GET", "/authoring", Rule::Only(AUTHORS)),
    ("GET", "/authoring/upload", Rule::Only(AUTHORS)),
    // Posted as an ordinary form here, so refused as not a zip upload;
    // nothing is written.
    ("POST", "/authoring/upload", Rule::Only(AUTHORS)),
    (
        "GET",
        "/authoring/courses/first-steps/modules/01-first-day.md",
        Rule::Only(AUTHORS),
    ),
    (
        "POST",
        "/authoring/courses/first-steps/modules/01-first-day.md/check",
        Rule::Only(AUTHORS),
    ),
    (
        "POST",
        "/authoring/courses/first-steps/modules/01-first-day.md/preview",
        Rule::Only(AUTHORS),
    ),
    // Without the content hash it started from, publishing is refused as
    // a conflict, so the fixture course is never written.
    (
        "POST",
        "/authoring/courses/first-steps/modules/01-first-day.md/publish",
        Rule::Only(AUTHORS),
    ),
    // Who may change a course: the matrix's tutor owns first-steps (made
    // in the setup below); another tutor's 403 is checked in
    // course_owners.rs. A form without a username is refused as such.
    (
        "GET",
        "/authoring/courses/first-steps/authors",
        Rule::Only(AUTHORS),
    ),
    (
        "POST",
        "/authoring/courses/first-steps/authors",
        Rule::Only(AUTHORS),
    ),
    (
        "POST",
        "/authoring/courses/first-steps/authors/1/remove",
        Rule::Only(AUTHORS),
    ),
    (
        "POST",
        "/authoring/courses/first-steps/owner",
        Rule::Only(&[Role::Admin]),
    ),
    // Previous versions: admins. The fixture course has none, so the
    // version named here is not found, and nothing is restored.
    (
        "GET",
        "/authoring/courses/first-steps/versions",
        Rule::Only(&[Role::Admin]),
    ),
    (
        "GET",
        "/authoring/courses/first-steps/versions/1-20261206T000000Z/restore",
        Rule::Only(&[Role::Admin]),
    ),
    (
        "POST",
        "/authoring/courses/first-steps/versions/1-20261206T000000Z/restore",
        Rule::Only(&[Role::Admin]),
    ),
    ("GET", "/classes/1/progress", Rule::Only(CLASS_STAFF)),
    // What cannot be taken back asks first. Account 999 is in no class and
    // session 999 does not exist: staff get 404 (nothing is changed), the
    // others 403. The rules with real members and sessions are in
    // tests/platform/class_safety.rs.
    (
        "GET",
        "/classes/1/members/999/password",
        Rule::Only(CLASS_STAFF),
    ),
    (
        "POST",
        "/classes/1/members/999/password",
        Rule::Only(CLASS_STAFF),
    ),
    (
        "POST",
        "/api/v1/classes/1/members/999/password",
        Rule::Only(CLASS_STAFF),
    ),
    (
        "GET",
        "/classes/1/sessions/999/delete",
        Rule::Only(CLASS_STAFF),
    ),
    (
        "POST",
        "/classes/1/sessions/999/delete",
        Rule::Only(CLASS_STAFF),
    ),
    // Keeping a class up over a term (tests/platform/class_upkeep.rs has
    // another tutor's 403 and the rules with real members).
    ("GET", "/classes/archived", Rule::SignedIn),
    ("GET", "/classes/1/edit", Rule::Only(CLASS_STAFF)),
    ("POST", "/classes/1/edit", Rule::Only(CLASS_STAFF)),
    ("POST", "/classes/1/archive", Rule::Only(CLASS_STAFF)),
    ("POST", "/classes/1/restore", Rule::Only(CLASS_STAFF)),
    ("GET", "/classes/1/cards", Rule::Only(CLASS_STAFF)),
    (
        "GET",
        "/classes/1/members/999/card",
        Rule::Only(CLASS_STAFF),
    ),
    (
        "GET",
        "/classes/1/members/999/remove",
        Rule::Only(CLASS_STAFF),
    ),
    (
        "POST",
        "/classes/1/members/999/remove",
        Rule::Only(CLASS_STAFF),
    ),
    ("GET", "/classes/1/import", Rule::Only(CLASS_STAFF)),
    ("POST", "/classes/1/import", Rule::Only(CLASS_STAFF)),
    ("PATCH", "/api/v1/classes/1", Rule::Only(CLASS_STAFF)),
    ("POST", "/api/v1/classes/1/import", Rule::Only(CLASS_STAFF)),
    // Only the invited learner answers an invitation (none here: 404).
    (
        "GET",
        "/api/v1/me/invitations",
        Rule::Only(&[Role::Learner]),
    ),
    (
        "POST",
        "/api/v1/me/invitations/1/accept",
        Rule::Only(&[Role::Learner]),
    ),
    (
        "POST",
        "/api/v1/me/invitations/1/decline",
        Rule::Only(&[Role::Learner]),
    ),
    (
        "POST",
        "/invitations/1/accept",
        Rule::Only(&[Role::Learner]),
    ),
    (
        "POST",
        "/invitations/1/decline",
        Rule::Only(&[Role::Learner]),
    ),
    ("GET", "/api/v1/classes/1/progress", Rule::Only(CLASS_STAFF)),
    // Reports: coordinators and admins. Learner 1 is the learner made
    // first below; erasing it is refused (the confirmation is missing).
    ("GET", "/reports", COORDINATORS),
    ("GET", "/reports/funder", COORDINATORS),
    ("GET", "/reports/funder.csv", COORDINATORS),
    ("GET", "/reports/completions.csv", COORDINATORS),
    ("GET", "/reports/progress.csv", COORDINATORS),
    ("GET", "/reports/xapi.jsonl", COORDINATORS),
    ("GET", "/learners", COORDINATORS),
    ("GET", "/learners/1", COORDINATORS),
    ("POST", "/learners/1/outcomes", COORDINATORS),
    ("GET", "/learners/1/data.json", COORDINATORS),
    ("POST", "/learners/1/erase", COORDINATORS),
    ("GET", "/api/v1/reports/dashboard", COORDINATORS),
    ("GET", "/api/v1/reports/funder", COORDINATORS),
    ("GET", "/api/v1/reports/funder.csv", COORDINATORS),
    ("GET", "/api/v1/reports/completions.csv", COORDINATORS),
    ("GET", "/api/v1/reports/progress.csv", COORDINATORS),
    ("GET", "/api/v1/reports/xapi.jsonl", COORDINATORS),
    ("GET", "/api/v1/learners", COORDINATORS),
    ("GET", "/api/v1/learners/1/outcomes", COORDINATORS),
    ("POST", "/api/v1/learners/1/outcomes", COORDINATORS),
    ("GET", "/api/v1/learners/1/data", COORDINATORS),
    ("POST", "/api/v1/learners/1/erase", COORDINATORS),
    ("GET", "/account", Rule::SignedIn),
    ("POST", "/account/password", Rule::SignedIn),
    // Last: it signs each person out everywhere (and ends their token).
    // `POST /api/v1/auth/sign-out-everywhere` does the same, so it is
    // checked in sessions.rs instead.
    ("POST", "/account/sign-out-everywhere", Rule::SignedIn),
];

const COORDINATORS: Rule = Rule::Only(&[Role::Coordinator, Role::Admin]);

/// Who writes courses.
const AUTHORS: &[Role] = &[Role::Tutor, Role::Admin];

// The PDF (learner and staff) and the public credential are checked with a
// real certificate in tests/platform/certificates.rs; the routes of one
// class (its tutor, coordinators and admins; its learners read only) with
// real classes in tests/platform/classes.rs.

async fn every_route_checks_the_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Visitors first (None), then one browser and one token per role.
    let mut people: Vec<(Option<Role>, TestApp, Option<String>)> =
        vec![(None, app.another_browser(), None)];
    for role in Role::ALL {
        let name = format!("{}-person", role.as_str());
        let browser = app.another_browser();
        let token = browser.token_for(&name, role).await;
        browser.sign_in(&name, "password123").await;
        people.push((Some(role), browser, Some(token)));
    }
    let (tutor, _) = app
        .store
        .credentials("tutor-person")
        .await
        .unwrap()
        .expect("the tutor");
    let class = app
        .store
        .create_class(tutor.id, "Class 1", "warehousing", &["first-steps".into()])
        .await
        .unwrap();
    assert_eq!(class.id, 1, "the class the routes name");
    app.store
        .set_course_owner("first-steps", tutor.id)
        .await
        .unwrap();
    // The learner is in the class: being a member is not enough.
    let (learner, _) = app
        .store
        .credentials("learner-person")
        .await
        .unwrap()
        .expect("the learner");
    app.store.join_class(&class, learner.id).await.unwrap();
    for (method, path, rule) in ROUTES {
        for (role, browser, token) in &people {
            let is_api = path.starts_with("/api/");
            let mut request = browser.client.request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                browser.url(path),
            );
            if *method == "POST" || *method == "PATCH" {
                if is_api {
                    request = request.json(&serde_json::json!({"answers": {}}));
                } else {
                    let csrf = browser.csrf().await;
                    request = request.form(&[("csrf", csrf.as_str()), ("open", "on")]);
                }
            }
            if is_api && let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let to_login = location(&response).starts_with("/login");
            let allowed = match (rule, role) {
                (Rule::Public, _) => true,
                (_, None) => false,
                (Rule::SignedIn, Some(_)) => true,
                (Rule::Only(roles), Some(role)) => roles.contains(role),
            };
            let who = role.map_or("a visitor", Role::as_str);
            if allowed {
                assert!(
                    !to_login
                        && status != StatusCode::FORBIDDEN
                        && status != StatusCode::UNAUTHORIZED
                        && !status.is_server_error(),
                    "{method} {path} should be open to {who}, got {status}"
                );
            } else if role.is_none() {
                if is_api {
                    assert_eq!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {path} for {who}"
                    );
                } else {
                    assert!(
                        to_login,
                        "{method} {path} should send {who} to sign in, got {status}"
                    );
                }
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} for {who}");
            }
        }
    }
}
