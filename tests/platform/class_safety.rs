//! A tutor cannot take over a learner's account: naming an existing learner
//! only invites them (they accept or decline on their home page), and a new
//! password is made only for a learner who has joined one of the tutor's
//! classes, on the pages and in the API alike. Coordinators and admins still
//! add existing learners directly. And what cannot be taken back (a new
//! password, deleting a session) asks first.

use presto::domain::names::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, location};

/// A tutor signed in, with a class of the fixture course: (browser, id).
async fn tutor_and_class(app: &TestApp, username: &str, class: &str) -> (TestApp, i32) {
    let tutor = app.another_browser();
    tutor.add_user(username, Role::Tutor, "password123").await;
    tutor.sign_in(username, "password123").await;
    let response = tutor
        .post_form(
            "/classes",
            &[
                ("name", class),
                ("sector", "warehousing"),
                ("course", "first-steps"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = location(&response)
        .trim_start_matches("/classes/")
        .parse()
        .expect("the new class's page");
    (tutor, id)
}

/// Whether `password` still signs `username` in.
async fn password_works(app: &TestApp, username: &str, password: &str) -> bool {
    app.another_browser()
        .post_form("/login", &[("username", username), ("password", password)])
        .await
        .status()
        == StatusCode::SEE_OTHER
}

on_both_databases!(a_tutor_cannot_take_over_a_learners_account);

async fn a_tutor_cannot_take_over_a_learners_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Amina is in tutor Tess's class and has a certificate.
    let (_tess, tess_class) = tutor_and_class(&app, "tess", "Monday group").await;
    let amina_browser = app.another_browser();
    let amina = amina_browser.learner("amina").await;
    amina_browser.complete_first_steps().await;
    let class = app.store.class(tess_class).await.unwrap().unwrap();
    app.store.join_class(&class, amina.id).await.unwrap();
    let certificate = app.store.certificates_of(amina.id).await.unwrap().remove(0);
    let pdf = format!(
        "/certificates/{}.pdf",
        presto::domain::certificate_id::CertificateId::parse(&certificate.id).unwrap()
    );

    // Boris, a tutor who never taught her, names her for his class.
    let (boris, boris_class) = tutor_and_class(&app, "boris", "Boris's group").await;
    let response = boris
        .post_form(
            &format!("/classes/{boris_class}/members"),
            &[("username", "amina"), ("full_name", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        !app.store
            .is_class_member(boris_class, amina.id)
            .await
            .unwrap(),
        "naming her does not put her in his class"
    );
    let (_, page) = boris.page(&format!("/classes/{boris_class}")).await;
    let roster = page.split("id=\"members\"").nth(1).unwrap_or_default();
    let members = roster.split("id=\"invited\"").next().unwrap_or_default();
    assert!(
        !members.contains("amina"),
        "not among the members: {members}"
    );
    assert!(roster.contains("Invited, not yet in the class"));
    assert!(
        !page.contains("amina Test"),
        "nor does he learn her name before she accepts"
    );

    // He cannot make her a new password: not through his class (she is
    // only invited), nor through Tess's (not his).
    for path in [
        format!("/classes/{boris_class}/members/{}/password", amina.id),
        format!("/classes/{tess_class}/members/{}/password", amina.id),
    ] {
        let expected = if path.contains(&format!("/classes/{boris_class}/")) {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(boris.page(&path).await.0, expected, "GET {path}");
        let response = boris.post_form(&path, &[("confirm", "yes")]).await;
        assert_eq!(response.status(), expected, "POST {path}");
    }
    // Nor see her progress or her certificate.
    assert_eq!(boris.get(&pdf).await.status(), StatusCode::FORBIDDEN);
    let (_, progress) = boris
        .page(&format!("/classes/{boris_class}/progress"))
        .await;
    assert!(!progress.contains("amina"), "{progress}");

    // The same through the API.
    let boris_api = app.api(app.token("boris", "password123").await);
    let (status, invited) = boris_api
        .post(
            &format!("/api/v1/classes/{boris_class}/members"),
            json!({"username": "amina"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(invited["status"], "invited");
    assert_eq!(invited["id"].as_i64(), Some(i64::from(amina.id)));
    assert!(
        !app.store
            .is_class_member(boris_class, amina.id)
            .await
            .unwrap()
    );
    for (class, expected) in [
        (boris_class, StatusCode::NOT_FOUND),
        (tess_class, StatusCode::FORBIDDEN),
    ] {
        let (status, _) = boris_api
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/classes/{class}/members/{}/password", amina.id),
                None,
            )
            .await;
        assert_eq!(status, expected, "API, class {class}");
    }
    let (_, detail) = boris_api
        .get(&format!("/api/v1/classes/{boris_class}"))
        .await;
    assert_eq!(detail["members"], json!([]));
    assert_eq!(
        detail["invited"],
        json!([{"id": amina.id, "username": "amina"}])
    );
    assert!(
        password_works(&app, "amina", "password123").await,
        "her own password still works"
    );

    // Amina sees the invitation on her home page, and declines.
    let (_, home) = amina_browser.page("/").await;
    assert!(
        home.contains("boris Test invites you to the class &quot;Boris&#39;s group&quot;."),
        "{home}"
    );
    assert!(home.contains(&format!("action=\"/invitations/{boris_class}/accept\"")));
    // Someone else cannot answer it for her.
    let other = app.another_browser();
    other.learner("yusuf").await;
    let response = other
        .post_form(&format!("/invitations/{boris_class}/accept"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = amina_browser
        .post_form(&format!("/invitations/{boris_class}/decline"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        !app.store
            .is_class_member(boris_class, amina.id)
            .await
            .unwrap()
    );
    let (_, home) = amina_browser.page("/").await;
    assert!(!home.contains("invites you"));
    let response = amina_browser
        .post_form(&format!("/invitations/{boris_class}/accept"), &[])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "a declined invitation is gone"
    );

    // Invited again, she accepts: now she is in his class and its course.
    boris
        .post_form(
            &format!("/classes/{boris_class}/members"),
            &[("username", "amina"), ("full_name", "")],
        )
        .await;
    let response = amina_browser
        .post_form(&format!("/invitations/{boris_class}/accept"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/classes/{boris_class}"));
    assert!(
        app.store
            .is_class_member(boris_class, amina.id)
            .await
            .unwrap()
    );
    assert!(
        !app.store.is_invited(boris_class, amina.id).await.unwrap(),
        "the invitation is spent"
    );
    // With her consent he is her tutor: her certificate, a new password.
    assert_eq!(boris.get(&pdf).await.status(), StatusCode::OK);
    let response = boris
        .post_form(
            &format!("/classes/{boris_class}/members/{}/password", amina.id),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!password_works(&app, "amina", "password123").await);
}

on_both_databases!(coordinators_still_add_existing_learners_directly);

async fn coordinators_still_add_existing_learners_directly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, class) = tutor_and_class(&app, "tess", "Monday group").await;
    let yusuf = app.add_user("yusuf", Role::Learner, "password123").await;
    let olena = app.add_user("olena", Role::Learner, "password123").await;
    app.add_user("staff-tutor", Role::Tutor, "password123")
        .await;
    let coordinator = app.another_browser();
    coordinator
        .add_user("cora", Role::Coordinator, "password123")
        .await;
    coordinator.sign_in("cora", "password123").await;

    let response = coordinator
        .post_form(
            &format!("/classes/{class}/members"),
            &[("username", "yusuf"), ("full_name", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(app.store.is_class_member(class, yusuf.id).await.unwrap());
    assert!(
        app.store
            .enrolment(yusuf.id, "first-steps")
            .await
            .unwrap()
            .is_some(),
        "enrolled in the class's course"
    );
    // Staff accounts are not put in classes, by anyone.
    let response = coordinator
        .post_form(
            &format!("/classes/{class}/members"),
            &[("username", "staff-tutor"), ("full_name", "")],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "no learner by that name"
    );

    let cora = app.api(app.token("cora", "password123").await);
    let members = format!("/api/v1/classes/{class}/members");
    let add = |username: &'static str| {
        cora.post(&members, json!({ "username": username, "full_name": "" }))
    };
    let (status, added) = add("olena").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(added["status"], "member");
    assert!(app.store.is_class_member(class, olena.id).await.unwrap());
    assert_eq!(add("nobody-here").await.0, StatusCode::NOT_FOUND);
    assert_eq!(add("staff-tutor").await.0, StatusCode::NOT_FOUND);
    // A new account with a taken username is still refused, with a hint.
    let (status, _) = cora
        .post(
            &members,
            json!({"username": "olena", "full_name": "Another Olena"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The coordinator (who runs every class) makes a member a new password
    // through the API; the old one stops working.
    let (status, made) = cora
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/classes/{class}/members/{}/password", olena.id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let new_password = made["password"].as_str().expect("a password");
    assert!(password_works(&app, "olena", new_password).await);
    assert!(!password_works(&app, "olena", "password123").await);
}

on_both_databases!(deleting_a_session_and_a_new_password_ask_first);

async fn deleting_a_session_and_a_new_password_ask_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (tutor, class) = tutor_and_class(&app, "tess", "Monday group").await;
    let amina = app.add_user("amina", Role::Learner, "password123").await;
    // Amina Yusuf, by name, on the confirmation.
    let row = app.store.class(class).await.unwrap().unwrap();
    app.store.join_class(&row, amina.id).await.unwrap();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::Europe::London)
        .format("%Y-%m-%d")
        .to_string();
    tutor
        .post_form(
            &format!("/classes/{class}/sessions"),
            &[
                ("title", "Talking to a supervisor"),
                ("date", &tomorrow),
                ("time", "10:00"),
                ("duration", "60"),
                ("meeting_url", "https://meet.example.org/abc-defg"),
            ],
        )
        .await;
    let session = app.store.sessions(class).await.unwrap().remove(0);
    let delete = format!("/classes/{class}/sessions/{}/delete", session.id);
    let password = format!("/classes/{class}/members/{}/password", amina.id);

    // The class page leads to the questions, in the danger colour; no
    // button there acts at once.
    let (_, page) = tutor.page(&format!("/classes/{class}")).await;
    assert!(
        page.contains(&format!(
            "<a class=\"button danger-outline\" href=\"{delete}\">"
        )),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<a class=\"button danger-outline\" href=\"{password}\">"
    )));
    assert!(!page.contains(&format!("action=\"{delete}\"")));
    assert!(!page.contains(&format!("action=\"{password}\"")));

    // A post without the confirmation (an old page, a stray tap) is sent
    // to the question and changes nothing.
    let response = tutor.post_form(&delete, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), delete);
    assert!(app.store.session(session.id).await.unwrap().is_some());
    let response = tutor.post_form(&password, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), password);
    assert!(password_works(&app, "amina", "password123").await);

    // The questions name what will happen.
    let (status, asked) = tutor.page(&delete).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        asked.contains("Delete the session \"Talking to a supervisor\"?")
            || asked.contains("Delete the session &quot;Talking to a supervisor&quot;?"),
        "{asked}"
    );
    assert!(asked.contains("This cannot be undone."));
    assert!(asked.contains(&format!("action=\"{delete}\"")));
    assert!(asked.contains("name=\"confirm\" value=\"yes\""));
    assert!(asked.contains(&format!("href=\"/classes/{class}#sessions\"")));
    let (status, asked) = tutor.page(&password).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        asked.contains("amina Test&#39;s printed card will stop working."),
        "{asked}"
    );

    // Others cannot even see the questions; a learner neither.
    let (other, _) = tutor_and_class(&app, "otto", "Otto's group").await;
    assert_eq!(other.page(&delete).await.0, StatusCode::FORBIDDEN);
    let learner = app.another_browser();
    learner.sign_in("amina", "password123").await;
    assert_eq!(learner.page(&delete).await.0, StatusCode::FORBIDDEN);
    assert_eq!(learner.page(&password).await.0, StatusCode::FORBIDDEN);
    let response = other.post_form(&delete, &[("confirm", "yes")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Confirmed: done.
    let response = tutor.post_form(&delete, &[("confirm", "yes")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(app.store.session(session.id).await.unwrap().is_none());
    let response = tutor.post_form(&password, &[("confirm", "yes")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!password_works(&app, "amina", "password123").await);
}

on_both_databases!(a_learner_answers_invitations_through_the_api);

async fn a_learner_answers_invitations_through_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, class) = tutor_and_class(&app, "tess", "Monday group").await;
    let tutor = app.api(app.token("tess", "password123").await);
    let amina = app.api(app.token_for("amina", Role::Learner).await);
    let yusuf = app.api(app.token_for("yusuf", Role::Learner).await);
    let amina_id = app.store.credentials("amina").await.unwrap().unwrap().0.id;
    let members = format!("/api/v1/classes/{class}/members");
    let invite = || tutor.post(&members, json!({"username": "amina"}));
    assert_eq!(invite().await.0, StatusCode::ACCEPTED);

    let (_, list) = amina.get("/api/v1/me/invitations").await;
    assert_eq!(list[0]["class_id"].as_i64(), Some(i64::from(class)));
    assert_eq!(list[0]["class_name"], "Monday group");
    assert_eq!(list[0]["invited_by"], "tess Test");
    let (_, others) = yusuf.get("/api/v1/me/invitations").await;
    assert_eq!(others, json!([]), "nobody else sees it");
    let accept = format!("/api/v1/me/invitations/{class}/accept");
    let decline = format!("/api/v1/me/invitations/{class}/decline");
    for (path, who, expected) in [
        (&accept, &yusuf, StatusCode::NOT_FOUND),
        (&accept, &tutor, StatusCode::FORBIDDEN),
        (&decline, &amina, StatusCode::NO_CONTENT),
        (&decline, &amina, StatusCode::NOT_FOUND),
        (&accept, &amina, StatusCode::NOT_FOUND),
    ] {
        let (status, _) = who.call(reqwest::Method::POST, path, None).await;
        assert_eq!(status, expected, "{path}");
    }
    assert!(!app.store.is_class_member(class, amina_id).await.unwrap());

    assert_eq!(invite().await.0, StatusCode::ACCEPTED);
    let (status, joined) = amina.call(reqwest::Method::POST, &accept, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(joined["id"].as_i64(), Some(i64::from(class)));
    assert!(joined.get("join_code").is_none());
    assert!(app.store.is_class_member(class, amina_id).await.unwrap());
    assert!(
        app.store
            .enrolment(amina_id, "first-steps")
            .await
            .unwrap()
            .is_some()
    );
    // In the class now: naming her again says so.
    let (status, again) = invite().await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["status"], "member");

    // An invitation is the learner's data: in their export, gone when
    // they are erased.
    let yusuf_id = app.store.credentials("yusuf").await.unwrap().unwrap().0.id;
    let (status, _) = tutor.post(&members, json!({"username": "yusuf"})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let data = app.store.personal_data(yusuf_id).await.unwrap().unwrap();
    assert_eq!(
        data["class_invitations"][0]["class_id"].as_i64(),
        Some(i64::from(class))
    );
    app.store.erase_learner(yusuf_id).await.unwrap();
    assert!(app.store.invited_to_class(class).await.unwrap().is_empty());
    assert!(!app.store.is_invited(class, yusuf_id).await.unwrap());
}
