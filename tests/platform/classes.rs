//! Classes as a tutor runs them: create a class with its courses, hand out
//! the join code, add learners by hand or from a spreadsheet (login cards),
//! reset a password, plan live sessions that learners see on their home
//! page, keep the register. And the same through the API.

use presto::domain::class::Attendance;
use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::json;

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
    let app_ref = &app;
    let progress_with =
        move |token: String| async move { app_ref.api(token).get("/api/v1/me/progress").await.0 };
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
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

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
    assert!(home.contains(">Tomorrow 10:00</time>"), "{home}");

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
    let tutor = app.api(app.token_for("tess", Role::Tutor).await);
    let learner = app.api(app.token_for("amina", Role::Learner).await);
    let other_tutor = app.api(app.token_for("otto", Role::Tutor).await);

    let (status, _) = learner
        .post("/api/v1/classes", json!({"name": "Mine", "courses": []}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, created) = tutor
        .post(
            "/api/v1/classes",
            json!({"name": "Evening group", "courses": ["first-steps"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();
    let code = created["join_code"].as_str().unwrap().to_string();
    let (status, _) = tutor
        .post(
            "/api/v1/classes",
            json!({"name": "Bad", "courses": ["no-such-course"]}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such course");

    let (status, _) = learner
        .post("/api/v1/classes/join", json!({"code": "K7MX-3QPA"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, joined) = learner
        .post(
            "/api/v1/classes/join",
            json!({ "code": code.to_lowercase() }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(joined["id"].as_i64(), Some(id));
    assert!(joined.get("join_code").is_none());

    let members = format!("/api/v1/classes/{id}/members");
    let (status, added) = tutor
        .post(
            &members,
            json!({"username": "olena", "full_name": "Олена Коваленко", "language": "uk"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.another_browser()
        .sign_in("olena", added["password"].as_str().unwrap())
        .await;
    let (status, _) = tutor
        .post(
            &members,
            json!({"username": "olena", "full_name": "Another"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, session) = tutor
        .post(
            &format!("/api/v1/classes/{id}/sessions"),
            json!({"title": "Forklift safety talk", "starts_at": "2030-01-07T10:00:00Z",
                   "duration_minutes": 45, "meeting_url": "https://meet.example.org/x"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let session_id = session["id"].as_i64().unwrap();
    let amina = app.store.credentials("amina").await.unwrap().unwrap().0;
    let (status, _) = tutor
        .put(
            &format!("/api/v1/classes/{id}/sessions/{session_id}/attendance"),
            json!({"marks": [{"user_id": amina.id, "status": "absent"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (_, detail) = tutor.get(&format!("/api/v1/classes/{id}")).await;
    assert_eq!(detail["members"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["sessions"][0]["title"], "Forklift safety talk");
    let (_, as_learner) = learner.get(&format!("/api/v1/classes/{id}")).await;
    assert!(
        as_learner.get("members").is_none(),
        "learners see no roster"
    );
    let (status, _) = other_tutor.get(&format!("/api/v1/classes/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, listed) = other_tutor.get("/api/v1/classes").await;
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

    let api = app.api(app.token("tess", "password123").await);
    let (status, body) = api
        .post(
            &format!("/api/v1/classes/{id}/members"),
            json!({"username": "ERASED-5", "full_name": "Someone"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
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

/// A tutor's browser and API on a class of the fixture course with one
/// member, Amina; Yusuf is a learner outside it: (browser, API, class,
/// Amina's id, Yusuf's id).
async fn class_with_a_member(app: &TestApp) -> (TestApp, crate::support::Api<'_>, i32, i32, i32) {
    let (tutor, id, _) = tutor_with_class(app).await;
    let api = app.api(app.token("tess", "password123").await);
    let amina = app.add_user("amina", Role::Learner, "password123").await;
    let yusuf = app.add_user("yusuf", Role::Learner, "password123").await;
    let class = app.store.class(id).await.unwrap().unwrap();
    app.store.join_class(&class, amina.id).await.unwrap();
    (tutor, api, id, amina.id, yusuf.id)
}

on_both_databases!(a_register_with_a_stranger_or_an_unknown_mark_is_refused_whole_on_both);

/// A mark for someone not in the class, or a mark that is not present,
/// late or absent, refuses the whole register on the page as in the API
/// (the page used to drop strangers silently), and nothing is kept.
async fn a_register_with_a_stranger_or_an_unknown_mark_is_refused_whole_on_both(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, api, id, amina, yusuf) = class_with_a_member(&app).await;
    let (status, session) = api
        .post(
            &format!("/api/v1/classes/{id}/sessions"),
            json!({"title": "Talk", "starts_at": "2030-01-07T10:00:00Z",
                   "duration_minutes": 45.0, "meeting_url": "https://meet.example.org/x"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let session = session["id"].as_i64().unwrap() as i32;
    let page = format!("/classes/{id}/sessions/{session}");
    let api_path = format!("/api/v1/classes/{id}/sessions/{session}/attendance");
    let amina_field = format!("u:{amina}");

    // A stranger is no member of the register (404); an unknown mark is
    // bad input (400). The same on the page and in the API.
    for (marks, needle, refused) in [
        (
            vec![(amina, "present"), (yusuf, "present")],
            format!("{yusuf}"),
            StatusCode::NOT_FOUND,
        ),
        (
            vec![(amina, "here")],
            "here".to_string(),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let fields: Vec<(String, &str)> = marks
            .iter()
            .map(|(who, mark)| (format!("u:{who}"), *mark))
            .collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        let on_page = tutor.post_form(&page, &fields).await;
        assert_eq!(on_page.status(), refused, "page: {marks:?}");
        assert!(on_page.text().await.unwrap().contains(&needle));
        let body = json!({"marks": marks
            .iter()
            .map(|(who, mark)| json!({"user_id": who, "status": mark}))
            .collect::<Vec<_>>()});
        let (status, answer) = api.put(&api_path, body).await;
        assert_eq!(status, refused, "API: {marks:?}");
        assert!(answer["message"].as_str().unwrap().contains(&needle));
        assert!(
            app.store.attendance(session).await.unwrap().is_empty(),
            "nothing of a refused register is kept"
        );
    }

    let response = tutor.post_form(&page, &[(&amina_field, "late")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let marks = app.store.attendance(session).await.unwrap();
    assert_eq!(marks.get(&amina), Some(&Attendance::Late));
    let (status, _) = api
        .put(
            &api_path,
            json!({"marks": [{"user_id": amina, "status": "absent"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let marks = app.store.attendance(session).await.unwrap();
    assert_eq!(marks.get(&amina), Some(&Attendance::Absent));
    assert!(!marks.contains_key(&yusuf));
}

on_both_databases!(a_new_class_without_a_sector_takes_its_first_course_s_on_both);

/// The sector may be left out on the page as in the API: the class takes
/// its first course's sector, else `other`. Who may create a class and an
/// empty name are decided the same way too.
async fn a_new_class_without_a_sector_takes_its_first_course_s_on_both(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let tutor = app.another_browser();
    tutor.add_user("tess", Role::Tutor, "password123").await;
    tutor.sign_in("tess", "password123").await;
    let api = app.api(app.token("tess", "password123").await);
    let sector_of = |id: i32| {
        let store = app.store.clone();
        async move { store.class(id).await.unwrap().unwrap().sector }
    };

    for (courses, expected) in [(vec!["first-steps"], "warehousing"), (vec![], "other")] {
        let mut fields = vec![("name", "Page group"), ("sector", "")];
        fields.extend(courses.iter().map(|c| ("course", *c)));
        let response = tutor.post_form("/classes", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{courses:?}");
        let by_page: i32 = location(&response)
            .trim_start_matches("/classes/")
            .parse()
            .unwrap();
        let (status, created) = api
            .post(
                "/api/v1/classes",
                json!({"name": "API group", "courses": courses}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let by_api = created["id"].as_i64().unwrap() as i32;
        assert_eq!(sector_of(by_page).await, expected, "page, {courses:?}");
        assert_eq!(sector_of(by_api).await, expected, "API, {courses:?}");
    }

    // An empty name: refused on both, naming the problem.
    let response = tutor
        .post_form("/classes", &[("name", "   "), ("sector", "care")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("class name"));
    for body in [json!({"name": "   "}), json!({"name": ""}), json!({})] {
        let (status, answer) = api.post("/api/v1/classes", body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(answer["message"].as_str().unwrap().contains("class name"));
    }

    // Coordinators and learners do not create classes; admins do.
    for (username, role, created) in [
        ("cora", Role::Coordinator, false),
        ("amina", Role::Learner, false),
        ("ada", Role::Admin, true),
    ] {
        let browser = app.another_browser();
        browser.add_user(username, role, "password123").await;
        browser.sign_in(username, "password123").await;
        let page = browser
            .post_form("/classes", &[("name", "Mine"), ("course", "first-steps")])
            .await
            .status();
        let token = app.token(username, "password123").await;
        let (by_api, _) = app
            .api(token)
            .post("/api/v1/classes", json!({"name": "Mine"}))
            .await;
        if created {
            assert_eq!((page, by_api), (StatusCode::SEE_OTHER, StatusCode::CREATED));
        } else {
            assert_eq!(
                (page, by_api),
                (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN)
            );
        }
    }
}

on_both_databases!(adding_a_learner_gives_the_same_outcome_on_the_page_and_in_the_api);

/// Naming an existing learner: a tutor invites, a coordinator adds, the
/// same on the page and in the API; nobody, or a staff account, is refused
/// on both; a new account with a taken username is a conflict on both.
async fn adding_a_learner_gives_the_same_outcome_on_the_page_and_in_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, tutor_api, id, _, _) = class_with_a_member(&app).await;
    let coordinator = app.another_browser();
    coordinator
        .add_user("cora", Role::Coordinator, "password123")
        .await;
    coordinator.sign_in("cora", "password123").await;
    let coordinator_api = app.api(app.token("cora", "password123").await);
    for name in ["by-page-t", "by-api-t", "by-page-c", "by-api-c"] {
        app.add_user(name, Role::Learner, "password123").await;
    }
    app.add_user("staff", Role::Tutor, "password123").await;
    let page = format!("/classes/{id}/members");
    let api = format!("/api/v1/classes/{id}/members");
    let id_of = |name: &'static str| {
        let store = app.store.clone();
        async move { store.credentials(name).await.unwrap().unwrap().0.id }
    };

    // A tutor invites.
    let response = tutor
        .post_form(&page, &[("username", "by-page-t"), ("full_name", "")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, body) = tutor_api.post(&api, json!({"username": "by-api-t"})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::ACCEPTED, Some("invited"))
    );
    for name in ["by-page-t", "by-api-t"] {
        let learner = id_of(name).await;
        assert!(app.store.is_invited(id, learner).await.unwrap(), "{name}");
        assert!(
            !app.store.is_class_member(id, learner).await.unwrap(),
            "{name}"
        );
    }

    // A coordinator adds.
    let response = coordinator
        .post_form(&page, &[("username", "by-page-c"), ("full_name", "")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, body) = coordinator_api
        .post(&api, json!({"username": "by-api-c"}))
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("member"))
    );
    for name in ["by-page-c", "by-api-c"] {
        let learner = id_of(name).await;
        assert!(
            app.store.is_class_member(id, learner).await.unwrap(),
            "{name}"
        );
    }

    // Nobody by that name, or staff: refused on both.
    for name in ["nobody-here", "staff"] {
        let page_status = tutor
            .post_form(&page, &[("username", name), ("full_name", "")])
            .await
            .status();
        let (api_status, _) = tutor_api.post(&api, json!({"username": name})).await;
        assert_eq!(
            (page_status, api_status),
            (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
            "{name}"
        );
    }

    // A new account with a taken username: a conflict on both, with a hint.
    let response = tutor
        .post_form(
            &page,
            &[
                ("username", "amina"),
                ("full_name", "Another Amina"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains("username alone"));
    let (status, body) = tutor_api
        .post(
            &api,
            json!({"username": "amina", "full_name": "Another Amina"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"].as_str().unwrap().contains("username alone"));
}

on_both_databases!(session_times_are_read_in_the_page_language);

/// A session's start reads as a day and a month in the page's language,
/// in the site's time zone (London by default: 10:00 in January is 10:00
/// UTC).
async fn session_times_are_read_in_the_page_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, _) = tutor_with_class(&app).await;
    let response = tutor
        .post_form(
            &format!("/classes/{id}/sessions"),
            &[
                ("title", "Forklift safety talk"),
                ("date", "2030-01-07"),
                ("time", "10:00"),
                ("duration", "45"),
                ("meeting_url", "https://meet.example.org/x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = tutor.page(&format!("/classes/{id}")).await;
    assert!(
        page.contains(
            "datetime=\"2030-01-07T10:00:00+00:00\" dir=\"auto\">Mon 7 Jan 2030 10:00</time>"
        ),
        "{page}"
    );
    tutor.post_form("/language", &[("lang", "ar")]).await;
    let (_, page) = tutor.page(&format!("/classes/{id}")).await;
    assert!(page.contains(">الإثنين 7 يناير 2030 10:00</time>"), "{page}");
    let (_, register) = tutor
        .page(&format!(
            "/classes/{id}/sessions/{}",
            app.store.sessions(id).await.unwrap()[0].id
        ))
        .await;
    assert!(
        register.contains(">الإثنين 7 يناير 2030 10:00</time>"),
        "{register}"
    );
}

on_both_databases!(everyone_else_present_keeps_every_mark_already_made);

/// "Everyone else present" saves the marks chosen, marks the learners
/// left unmarked present, and never changes a mark already saved; a tutor
/// of another class cannot use it.
async fn everyone_else_present_keeps_every_mark_already_made(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, id, code) = tutor_with_class(&app).await;
    let mut learners = Vec::new();
    for name in ["amina", "bilal", "chen"] {
        let learner = app.another_browser();
        learners.push(learner.learner(name).await);
        learner.post_form("/join", &[("code", &code)]).await;
    }
    let [amina, bilal, chen] = [&learners[0], &learners[1], &learners[2]];
    tutor
        .post_form(
            &format!("/classes/{id}/sessions"),
            &[
                ("title", "Forklift safety talk"),
                ("date", "2030-01-07"),
                ("time", "10:00"),
                ("duration", "45"),
                ("meeting_url", "https://meet.example.org/x"),
            ],
        )
        .await;
    let session = app.store.sessions(id).await.unwrap().remove(0);
    let register = format!("/classes/{id}/sessions/{}", session.id);
    let (_, page) = tutor.page(&register).await;
    assert!(page.contains("Everyone else present"), "{page}");

    // Amina was late, saved earlier.
    let late = format!("u:{}", amina.id);
    tutor.post_form(&register, &[(&late, "late")]).await;
    // Another class's tutor cannot mark this register.
    let stranger = app.another_browser();
    stranger.add_user("otto", Role::Tutor, "password123").await;
    stranger.sign_in("otto", "password123").await;
    let refused = stranger
        .post_form(&register, &[("everyone", "present")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let marks = app.store.attendance(session.id).await.unwrap();
    assert!(!marks.contains_key(&bilal.id), "nothing marked");

    // Bilal is marked absent now, and the rest present.
    let absent = format!("u:{}", bilal.id);
    let saved = tutor
        .post_form(&register, &[(&absent, "absent"), ("everyone", "present")])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let marks = app.store.attendance(session.id).await.unwrap();
    assert_eq!(marks[&amina.id].as_str(), "late", "a saved mark stays");
    assert_eq!(marks[&bilal.id].as_str(), "absent", "the mark chosen wins");
    assert_eq!(
        marks[&chen.id].as_str(),
        "present",
        "the unmarked are present"
    );
    let (_, page) = tutor.page(&register).await;
    assert!(
        page.contains(&format!("name=\"u:{}\" value=\"present\" checked", chen.id)),
        "{page}"
    );
}
