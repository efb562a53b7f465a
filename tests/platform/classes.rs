//! Classes as a tutor runs them: create a class with its courses, hand out
//! the join code, add learners by hand or from a spreadsheet (login cards),
//! reset a password, plan live sessions that learners see on their home
//! page, keep the register. And the same through the API.

use presto::domain::names::Role;
use presto::domain::class::Attendance;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::{Backend, TestApp, location};

/// The join code as the class page shows it.
fn join_code(html: &str) -> String {
    let marker = "<p class=\"code\"><bdi class=\"number\">";
    let start = html.find(marker).expect("a join code on the page") + marker.len();
    html[start..start + 9].to_string()
}

/// The login cards on a page: (username, password) pairs.
fn cards(html: &str) -> Vec<(String, String)> {
    let values: Vec<String> = html
        .split("<dd dir=\"ltr\" class=\"number\">")
        .skip(1)
        .map(|part| part.split('<').next().unwrap_or("").to_string())
        .collect();
    values
        .chunks(2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect()
}

async fn tutor_with_class(app: &TestApp) -> (TestApp, i32, String) {
    let tutor = app.another_browser();
    tutor.add_user("tess", Role::Tutor, "password123").await;
    tutor.sign_in("tess", "password123").await;
    let response = tutor
        .post_form(
            "/classes",
            &[
                ("name", "Monday warehouse group"),
                ("sector", "warehousing"),
                ("course", "first-steps"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id: i32 = location(&response)
        .trim_start_matches("/classes/")
        .parse()
        .expect("the new class's page");
    let (status, page) = tutor.page(&format!("/classes/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    (tutor, id, join_code(&page))
}

on_both_databases!(a_learner_joins_with_the_code_and_finds_the_courses);

async fn a_learner_joins_with_the_code_and_finds_the_courses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, code) = tutor_with_class(&app).await;
    let (_, list) = tutor.page("/classes").await;
    assert!(list.contains("Monday warehouse group") && list.contains(&code));

    let learner = app.another_browser();
    let account = learner.learner("amina").await;
    let (status, _) = learner.page(&format!("/classes/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not in the class yet");

    // Typed on a phone: small letters, no dash.
    let typed = code.replace('-', "").to_lowercase();
    let response = learner.post_form("/join", &[("code", &typed)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/classes/{id}"));
    let (status, page) = learner.page(&format!("/classes/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("First steps at work"));
    assert!(!page.contains(&code), "learners do not see the code");
    assert!(
        app.store
            .enrolment(account.id, "first-steps")
            .await
            .unwrap()
            .is_some(),
        "joining enrols in the class's courses"
    );

    let response = learner.post_form("/join", &[("code", "K7MX-3QPA")]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("No class has this code")
    );

    // Another tutor cannot see the class; a coordinator can.
    let other = app.another_browser();
    other.add_user("otto", Role::Tutor, "password123").await;
    other.sign_in("otto", "password123").await;
    assert_eq!(
        other.page(&format!("/classes/{id}")).await.0,
        StatusCode::FORBIDDEN
    );
    assert!(
        !other
            .page("/classes")
            .await
            .1
            .contains("Monday warehouse group")
    );
    let coordinator = app.another_browser();
    coordinator
        .add_user("cora", Role::Coordinator, "password123")
        .await;
    coordinator.sign_in("cora", "password123").await;
    let (status, page) = coordinator.page(&format!("/classes/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Amina") || page.contains("amina"));
}

/// The tutor makes a new password for a class member: the one on the new
/// login card.
async fn new_password_from(app: &TestApp, tutor: &TestApp, class: i32, username: &str) -> String {
    let member = app.store.credentials(username).await.unwrap().unwrap().0;
    let response = tutor
        .post_form(
            &format!("/classes/{class}/members/{}/password", member.id),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    cards(&response.text().await.unwrap())[0].1.clone()
}

on_both_databases!(a_new_password_ends_the_other_sessions_and_tokens);

/// Someone who knew the old password (a classmate who saw the login card,
/// a lost phone) loses what it gave them: the browser signed in with it
/// and the API tokens made with it, at once (the session's copy of the
/// account in its cookie does not keep it going).
async fn a_new_password_ends_the_other_sessions_and_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, _) = tutor_with_class(&app).await;
    let response = tutor
        .post_form(
            &format!("/classes/{id}/members"),
            &[
                ("username", "olena"),
                ("full_name", "Olena Kovalenko"),
                ("language", "en"),
                ("email", ""),
            ],
        )
        .await;
    let (_, password) = cards(&response.text().await.unwrap())[0].clone();
    let old_phone = app.another_browser();
    old_phone.sign_in("olena", &password).await;
    assert_eq!(old_phone.page("/progress").await.0, StatusCode::OK);
    let api = reqwest::Client::new();
    let progress_with = |token: String| {
        let api = api.clone();
        let url = app.url("/api/v1/me/progress");
        async move {
            api.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let old_token = app.token("olena", &password).await;
    assert_eq!(progress_with(old_token.clone()).await, StatusCode::OK);

    let new_password = new_password_from(&app, &tutor, id, "olena").await;

    let (status, _) = old_phone.page("/progress").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the old session is over");
    assert_eq!(
        progress_with(old_token).await,
        StatusCode::UNAUTHORIZED,
        "so is the old token"
    );
    assert_eq!(
        tutor.page(&format!("/classes/{id}")).await.0,
        StatusCode::OK,
        "the tutor's own session goes on"
    );

    old_phone.sign_in("olena", &new_password).await;
    assert_eq!(old_phone.page("/progress").await.0, StatusCode::OK);
    let new_token = app.token("olena", &new_password).await;
    assert_eq!(progress_with(new_token).await, StatusCode::OK);
}

on_both_databases!(a_tutor_adds_learners_by_hand_and_resets_a_password);

async fn a_tutor_adds_learners_by_hand_and_resets_a_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, _) = tutor_with_class(&app).await;
    let response = tutor
        .post_form(
            &format!("/classes/{id}/members"),
            &[
                ("username", "olena"),
                ("full_name", "Олена Коваленко"),
                ("language", "uk"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("Олена Коваленко"));
    let found = cards(&page);
    assert_eq!(found.len(), 1);
    let (username, password) = found[0].clone();
    assert_eq!(username, "olena");

    let olena = app.another_browser();
    olena.sign_in("olena", &password).await;
    let (_, home) = olena.page("/").await;
    assert!(home.contains("lang=\"uk\""), "her language is set");

    // Forgotten: the tutor makes a new one; the old one stops working.
    let new_password = new_password_from(&app, &tutor, id, "olena").await;
    assert_ne!(new_password, password);
    let again = app.another_browser();
    let old = again
        .post_form("/login", &[("username", "olena"), ("password", &password)])
        .await;
    assert_ne!(
        old.status(),
        StatusCode::SEE_OTHER,
        "the old password fails"
    );
    again.sign_in("olena", &new_password).await;

    // An existing learner, by username alone: invited, not yet a member.
    let yusuf = app.add_user("yusuf", Role::Learner, "password123").await;
    let response = tutor
        .post_form(
            &format!("/classes/{id}/members"),
            &[("username", "yusuf"), ("full_name", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(!app.store.is_class_member(id, yusuf.id).await.unwrap());
    assert!(app.store.is_invited(id, yusuf.id).await.unwrap());
    let (_, page) = tutor.page(&location(&response)).await;
    assert!(
        page.contains("yusuf is invited.") && !page.contains("yusuf Test"),
        "the tutor is told: {page}"
    );
    let response = tutor
        .post_form(
            &format!("/classes/{id}/members"),
            &[("username", "nobody-here"), ("full_name", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Nobody else resets a class member's password.
    let member = app.store.credentials("olena").await.unwrap().unwrap().0;
    let outsider = app.another_browser();
    outsider.add_user("otto", Role::Tutor, "password123").await;
    outsider.sign_in("otto", "password123").await;
    let response = outsider
        .post_form(
            &format!("/classes/{id}/members/{}/password", member.id),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

on_both_databases!(a_spreadsheet_import_reports_bad_lines_and_keeps_the_good_ones);

async fn a_spreadsheet_import_reports_bad_lines_and_keeps_the_good_ones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, _) = tutor_with_class(&app).await;
    app.add_user("taken", Role::Learner, "password123").await;
    let roster = "username,full name,language,email\n\
                  amina,Amina Yusuf,ar,amina@example.org\n\
                  x,,xx,not-an-email\n\
                  taken,Someone Else,en,\n\
                  tigist,ትግስት ሃይሌ,,\n";
    let response = tutor
        .post_form(&format!("/classes/{id}/import"), &[("roster", roster)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let made = cards(&page);
    let names: Vec<&str> = made.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(names, ["amina", "tigist"]);
    assert!(
        page.contains("Line 3:") && page.contains("Line 4:"),
        "{page}"
    );
    assert!(page.contains("is taken"));

    let members = app.store.class_members(id).await.unwrap();
    let usernames: Vec<&str> = members.iter().map(|m| m.username.as_str()).collect();
    assert_eq!(usernames.len(), 2);
    assert!(usernames.contains(&"amina") && usernames.contains(&"tigist"));
    // Nothing half made: the taken line did not change the existing
    // account, and the bad line made nobody.
    let taken = app.store.credentials("taken").await.unwrap().unwrap().0;
    assert_eq!(taken.full_name, "taken Test");
    assert!(!app.store.is_class_member(id, taken.id).await.unwrap());
    assert!(app.store.credentials("x").await.unwrap().is_none());

    // The cards work.
    for (username, password) in made {
        app.another_browser().sign_in(&username, &password).await;
    }
}

on_both_databases!(live_sessions_show_on_the_home_page_and_the_register_is_kept);

async fn live_sessions_show_on_the_home_page_and_the_register_is_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, code) = tutor_with_class(&app).await;
    let learner = app.another_browser();
    let amina = learner.learner("amina").await;
    learner.post_form("/join", &[("code", &code)]).await;

    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::Europe::London)
        .format("%Y-%m-%d")
        .to_string();
    let response = tutor
        .post_form(
            &format!("/classes/{id}/sessions"),
            &[
                ("title", "Talking to a supervisor"),
                ("date", &tomorrow),
                ("time", "10:00"),
                ("duration", "60"),
                ("meeting_url", "https://meet.example.org/abc-defg"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let bad = tutor
        .post_form(
            &format!("/classes/{id}/sessions"),
            &[
                ("title", "Bad link"),
                ("date", &tomorrow),
                ("time", "10:00"),
                ("duration", "60"),
                ("meeting_url", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("web address"));

    let (_, home) = learner.page("/").await;
    assert!(home.contains("Your next live session"), "{home}");
    assert!(home.contains("Talking to a supervisor"));
    assert!(home.contains("href=\"https://meet.example.org/abc-defg\""));
    assert!(home.contains(&format!("{tomorrow} 10:00")));

    // The register.
    let session = app.store.sessions(id).await.unwrap().remove(0);
    let register = format!("/classes/{id}/sessions/{}", session.id);
    let (status, page) = tutor.page(&register).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("name=\"u:{}\"", amina.id)));
    let field = format!("u:{}", amina.id);
    let response = tutor.post_form(&register, &[(&field, "late")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let marks = app.store.attendance(session.id).await.unwrap();
    assert_eq!(marks.get(&amina.id), Some(&Attendance::Late));
    tutor.post_form(&register, &[(&field, "present")]).await;
    let marks = app.store.attendance(session.id).await.unwrap();
    assert_eq!(marks.get(&amina.id), Some(&Attendance::Present));
    let (_, page) = tutor.page(&register).await;
    assert!(page.contains("value=\"present\" checked"));
    // A learner cannot keep the register.
    assert_eq!(learner.page(&register).await.0, StatusCode::FORBIDDEN);
}

on_both_databases!(classes_through_the_api);

async fn classes_through_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let tutor = app.token_for("tess", Role::Tutor).await;
    let learner = app.token_for("amina", Role::Learner).await;
    let other_tutor = app.token_for("otto", Role::Tutor).await;
    let api = reqwest::Client::new();

    let refused = api
        .post(app.url("/api/v1/classes"))
        .bearer_auth(&learner)
        .json(&json!({"name": "Mine", "courses": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let created = api
        .post(app.url("/api/v1/classes"))
        .bearer_auth(&tutor)
        .json(&json!({"name": "Evening group", "courses": ["first-steps"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    let code = created["join_code"].as_str().unwrap().to_string();
    let bad = api
        .post(app.url("/api/v1/classes"))
        .bearer_auth(&tutor)
        .json(&json!({"name": "Bad", "courses": ["no-such-course"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let unknown = api
        .post(app.url("/api/v1/classes/join"))
        .bearer_auth(&learner)
        .json(&json!({"code": "K7MX-3QPA"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let joined = api
        .post(app.url("/api/v1/classes/join"))
        .bearer_auth(&learner)
        .json(&json!({ "code": code.to_lowercase() }))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), StatusCode::OK);
    let joined: Value = joined.json().await.unwrap();
    assert_eq!(joined["id"].as_i64(), Some(id));
    assert!(joined.get("join_code").is_none());

    let added = api
        .post(app.url(&format!("/api/v1/classes/{id}/members")))
        .bearer_auth(&tutor)
        .json(&json!({"username": "olena", "full_name": "Олена Коваленко", "language": "uk"}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let added: Value = added.json().await.unwrap();
    app.another_browser()
        .sign_in("olena", added["password"].as_str().unwrap())
        .await;
    let taken = api
        .post(app.url(&format!("/api/v1/classes/{id}/members")))
        .bearer_auth(&tutor)
        .json(&json!({"username": "olena", "full_name": "Another"}))
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), StatusCode::CONFLICT);

    let session = api
        .post(app.url(&format!("/api/v1/classes/{id}/sessions")))
        .bearer_auth(&tutor)
        .json(
            &json!({"title": "Forklift safety talk", "starts_at": "2030-01-07T10:00:00Z",
                      "duration_minutes": 45, "meeting_url": "https://meet.example.org/x"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), StatusCode::CREATED);
    let session: Value = session.json().await.unwrap();
    let session_id = session["id"].as_i64().unwrap();
    let amina = app.store.credentials("amina").await.unwrap().unwrap().0;
    let marked = api
        .put(app.url(&format!(
            "/api/v1/classes/{id}/sessions/{session_id}/attendance"
        )))
        .bearer_auth(&tutor)
        .json(&json!({"marks": [{"user_id": amina.id, "status": "absent"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), StatusCode::NO_CONTENT);

    let detail: Value = api
        .get(app.url(&format!("/api/v1/classes/{id}")))
        .bearer_auth(&tutor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["members"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["sessions"][0]["title"], "Forklift safety talk");
    let as_learner: Value = api
        .get(app.url(&format!("/api/v1/classes/{id}")))
        .bearer_auth(&learner)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        as_learner.get("members").is_none(),
        "learners see no roster"
    );
    let forbidden = api
        .get(app.url(&format!("/api/v1/classes/{id}")))
        .bearer_auth(&other_tutor)
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let listed: Value = api
        .get(app.url("/api/v1/classes"))
        .bearer_auth(&other_tutor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]), "a tutor sees only their own classes");
}

on_both_databases!(a_tutor_cannot_make_an_account_of_the_erased_form);

/// A tutor makes accounts three ways (by hand, from a spreadsheet, through
/// the API); none of them makes an `erased-<id>` account.
async fn a_tutor_cannot_make_an_account_of_the_erased_form(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, _) = tutor_with_class(&app).await;
    let by_hand = tutor
        .post_form(
            &format!("/classes/{id}/members"),
            &[
                ("username", "erased-3"),
                ("full_name", "Someone"),
                ("language", "en"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(by_hand.status(), StatusCode::BAD_REQUEST);
    assert!(
        by_hand
            .text()
            .await
            .unwrap()
            .contains("kept for erased accounts")
    );

    let roster = "username,full name,language,email\n\
                  erased-4,Someone Else,en,\n\
                  tigist,ትግስት ሃይሌ,,\n";
    let imported = tutor
        .post_form(&format!("/classes/{id}/import"), &[("roster", roster)])
        .await;
    assert_eq!(imported.status(), StatusCode::OK);
    let page = imported.text().await.unwrap();
    let names: Vec<String> = cards(&page).into_iter().map(|(u, _)| u).collect();
    assert_eq!(names, ["tigist"]);
    assert!(
        page.contains("Line 2:") && page.contains("kept for erased accounts"),
        "{page}"
    );

    let token = app.token("tess", "password123").await;
    let by_api = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/classes/{id}/members")))
        .bearer_auth(&token)
        .json(&json!({"username": "ERASED-5", "full_name": "Someone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(by_api.status(), StatusCode::BAD_REQUEST);
    let body: Value = by_api.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("kept for erased accounts"),
        "{body}"
    );
    for name in ["erased-3", "erased-4", "erased-5"] {
        assert!(
            app.store.credentials(name).await.unwrap().is_none(),
            "{name}"
        );
    }
}
