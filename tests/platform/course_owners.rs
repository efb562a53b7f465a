//! Courses have owners: the tutor who first published a course, the
//! co-authors the owner or an admin adds, and admins may change it; anyone
//! else gets 403 on a new version, an edit, the editor's check and preview,
//! and on choosing co-authors. A course found in the courses folder belongs
//! to the admins until one names an owner.

use presto::domain::authorship::AuthorRole;
use presto::domain::names::Role;
use reqwest::StatusCode;

use crate::authoring::{
    courses_copy, night_shift, open_editor, signed_in, tutor, upload, version_of,
};
use crate::on_both_databases;
use crate::support::{Backend, TestApp, location};

on_both_databases!(
    only_the_owner_co_authors_and_admins_change_a_course,
    the_owner_and_admins_choose_co_authors_and_nobody_adds_themselves,
    a_course_on_disk_belongs_to_admins_until_an_owner_is_named,
    of_many_first_publishers_racing_for_one_name_one_owns_it,
);

const NIGHT_EDITOR: &str = "/authoring/courses/night-shift/modules/01-at-night.md";

async fn user_id(app: &TestApp, username: &str) -> i32 {
    app.store
        .credentials(username)
        .await
        .unwrap()
        .expect("the account")
        .0
        .id
}

/// Every way to change a course, as `browser`: the status of each (a new
/// version, the editor, its check, its preview, publishing).
async fn try_every_change(browser: &TestApp, editor: &str, slug: &str) -> Vec<StatusCode> {
    let (upload_status, _) =
        upload(browser, night_shift("Changed."), "night.zip", Some(slug)).await;
    let (editor_status, _) = browser.page(editor).await;
    let check = browser
        .post_form(&format!("{editor}/check"), &[("base", ""), ("text", "# X")])
        .await
        .status();
    let preview = browser
        .post_form(&format!("{editor}/preview"), &[("text", "# X")])
        .await
        .status();
    let publish = browser
        .post_form(
            &format!("{editor}/publish"),
            &[("base", ""), ("text", "# X")],
        )
        .await
        .status();
    vec![upload_status, editor_status, check, preview, publish]
}

async fn only_the_owner_co_authors_and_admins_change_a_course(backend: Backend) {
    let courses = courses_copy();
    let module = courses.path().join("night-shift/01-at-night.md");
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tina = tutor(&app).await;
    let (status, page) = upload(
        &tina,
        night_shift("Sign in at the gate."),
        "night.zip",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let tina_id = user_id(&app, "tina").await;
    assert_eq!(
        app.store.course_part("night-shift", tina_id).await.unwrap(),
        Some(AuthorRole::Owner),
        "the first publisher owns it"
    );
    let (_, list) = tina.page("/authoring").await;
    assert!(list.contains("Owner: <bdi>tina Test</bdi>"), "{list}");

    // Another tutor: 403 on every change, with a plain message, nothing
    // written or published.
    let tom = signed_in(&app, "tom", Role::Tutor).await;
    let before = std::fs::read_to_string(&module).unwrap();
    let (status, page) = upload(
        &tom,
        night_shift("Tom was here."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("You cannot change the course night-shift. Only its owner, its co-authors and admins can."),
        "{page}"
    );
    let (status, page) = tom.page(NIGHT_EDITOR).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("You cannot change the course night-shift"),
        "{page}"
    );
    assert!(
        !page.contains("Sign in at the gate."),
        "no text shown: {page}"
    );
    let (base, text) = open_editor(&tina, NIGHT_EDITOR).await;
    let published = tom
        .post_form(
            &format!("{NIGHT_EDITOR}/publish"),
            &[
                ("base", &base),
                ("text", &text.replace("gate", "back door")),
            ],
        )
        .await;
    assert_eq!(published.status(), StatusCode::FORBIDDEN);
    let preview = tom
        .post_form(&format!("{NIGHT_EDITOR}/preview"), &[("text", &text)])
        .await;
    assert_eq!(preview.status(), StatusCode::FORBIDDEN);
    let preview: serde_json::Value = preview.json().await.unwrap();
    assert!(
        preview["message"]
            .as_str()
            .unwrap()
            .contains("You cannot change"),
        "{preview}"
    );
    assert_eq!(
        try_every_change(&tom, NIGHT_EDITOR, "night-shift").await,
        [StatusCode::FORBIDDEN; 5]
    );
    // As a "new" course of the same name: taken.
    let (status, _) = upload(&tom, night_shift("Tom's."), "night.zip", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        std::fs::read_to_string(&module).unwrap(),
        before,
        "nothing written"
    );
    assert_eq!(version_of(&app, "night-shift").await, Some(1));
    let (_, list) = tom.page("/authoring").await;
    assert!(
        !list.contains(&format!("href=\"{NIGHT_EDITOR}\"")),
        "no edit link for someone else's course"
    );
    assert!(!list.contains("/authoring/upload?course=night-shift"));

    // A co-author may; an admin may.
    let added = tina
        .post_form(
            "/authoring/courses/night-shift/authors",
            &[("username", "tom")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let (status, page) = upload(
        &tom,
        night_shift("Tom's version."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(version_of(&app, "night-shift").await, Some(2));
    let (status, _) = tom.page(NIGHT_EDITOR).await;
    assert_eq!(status, StatusCode::OK);
    let admin = signed_in(&app, "ada", Role::Admin).await;
    let (status, page) = upload(
        &admin,
        night_shift("The admin's version."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(version_of(&app, "night-shift").await, Some(3));

    // Removed, tom is refused again.
    let removed = tina
        .post_form(
            &format!(
                "/authoring/courses/night-shift/authors/{}/remove",
                user_id(&app, "tom").await
            ),
            &[],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let (status, _) = upload(
        &tom,
        night_shift("Again."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_owner_and_admins_choose_co_authors_and_nobody_adds_themselves(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tina = tutor(&app).await;
    let (status, _) = upload(&tina, night_shift("Sign in."), "night.zip", None).await;
    assert_eq!(status, StatusCode::OK);
    let tom = signed_in(&app, "tom", Role::Tutor).await;
    let tom_id = user_id(&app, "tom").await;
    signed_in(&app, "lena", Role::Learner).await;
    signed_in(&app, "cora", Role::Coordinator).await;
    let people = "/authoring/courses/night-shift/authors";

    // Tom adding himself: refused, and nothing recorded.
    let response = tom.post_form(people, &[("username", "tom")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Only the owner of night-shift and admins can choose who may change it."),
        "{page}"
    );
    assert_eq!(
        app.store.course_part("night-shift", tom_id).await.unwrap(),
        None
    );
    let (status, _) = tom.page(people).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not even the page");
    // Nor by naming the owner.
    let response = tom
        .post_form(
            "/authoring/courses/night-shift/owner",
            &[("username", "tom")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.course_part("night-shift", tom_id).await.unwrap(),
        None
    );
    // Without the form's token: refused before anything.
    let forged = tom
        .client
        .post(tom.url(people))
        .form(&[("username", "tom")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let forged = tina
        .client
        .post(tina.url(people))
        .form(&[("username", "tom")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST, "the owner's too");
    assert_eq!(
        app.store.course_part("night-shift", tom_id).await.unwrap(),
        None
    );

    // The owner's page and its refusals, each in words.
    let (status, page) = tina.page(people).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Add a co-author"));
    assert!(!page.contains("Choose the owner"), "admins only");
    for (name, status, words) in [
        ("lena", StatusCode::BAD_REQUEST, "lena cannot write courses"),
        ("cora", StatusCode::BAD_REQUEST, "cora cannot write courses"),
        (
            "nobody",
            StatusCode::BAD_REQUEST,
            "There is nobody with the username nobody",
        ),
        (
            "tina",
            StatusCode::CONFLICT,
            "tina is the owner of night-shift already",
        ),
    ] {
        let response = tina.post_form(people, &[("username", name)]).await;
        assert_eq!(response.status(), status, "{name}");
        let page = response.text().await.unwrap();
        assert!(page.contains(words), "{name}: {page}");
    }
    let added = tina.post_form(people, &[("username", " Tom ")]).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&added), format!("{people}?done=added"));
    let (_, page) = tina.page(&location(&added)).await;
    assert!(page.contains("The co-author was added."), "{page}");
    assert!(
        page.contains("Co-author:\n      <bdi>tom Test</bdi>")
            || page.contains("<bdi>tom Test</bdi>"),
        "{page}"
    );
    assert!(
        page.contains("class=\"danger\""),
        "the remove button is marked"
    );
    let again = tina.post_form(people, &[("username", "tom")]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // A co-author cannot add or remove others.
    let lisa = signed_in(&app, "lisa", Role::Tutor).await;
    let lisa_id = user_id(&app, "lisa").await;
    let response = tom.post_form(people, &[("username", "lisa")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.course_part("night-shift", lisa_id).await.unwrap(),
        None
    );
    let response = lisa
        .post_form(&format!("{people}/{tom_id}/remove"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.course_part("night-shift", tom_id).await.unwrap(),
        Some(AuthorRole::CoAuthor)
    );
    // Removing someone who is not a co-author (the owner): not found.
    let tina_id = user_id(&app, "tina").await;
    let response = tina
        .post_form(&format!("{people}/{tina_id}/remove"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.store.course_part("night-shift", tina_id).await.unwrap(),
        Some(AuthorRole::Owner)
    );

    // An admin adds and removes co-authors of any course.
    let admin = signed_in(&app, "ada", Role::Admin).await;
    let response = admin.post_form(people, &[("username", "lisa")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = admin
        .post_form(&format!("{people}/{tom_id}/remove"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let authors = app.store.course_authors("night-shift").await.unwrap();
    let names: Vec<(&str, AuthorRole)> = authors
        .iter()
        .map(|a| (a.username.as_str(), a.part))
        .collect();
    assert_eq!(
        names,
        [("tina", AuthorRole::Owner), ("lisa", AuthorRole::CoAuthor)]
    );
    // A course that does not exist has no page.
    let (status, _) = admin
        .page("/authoring/courses/no-such-course/authors")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = admin
        .post_form(
            "/authoring/courses/no-such-course/owner",
            &[("username", "tina")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn a_course_on_disk_belongs_to_admins_until_an_owner_is_named(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tina = tutor(&app).await;
    let editor = "/authoring/courses/first-steps/modules/01-first-day.md";
    let (_, list) = tina.page("/authoring").await;
    assert!(
        list.contains("No owner yet: only admins can change this course."),
        "{list}"
    );
    let (status, page) = tina.page(editor).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    let zip = crate::authoring::zip_of(&[
        (
            "first-steps/course.toml",
            &std::fs::read(courses.path().join("first-steps/course.toml")).unwrap(),
        ),
        (
            "first-steps/01-first-day.md",
            b"# Taken over\n\n## Mine {#hello}\n\nMine.\n",
        ),
    ]);
    let (status, _) = upload(&tina, zip.clone(), "first-steps.zip", Some("first-steps")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = upload(&tina, zip, "first-steps.zip", None).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a new course of that name is taken"
    );
    assert_eq!(version_of(&app, "first-steps").await, Some(1));

    // Admins may; an admin names tina the owner.
    let admin = signed_in(&app, "ada", Role::Admin).await;
    let (status, _) = admin.page(editor).await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = admin.page("/authoring/courses/first-steps/authors").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Choose the owner"), "{page}");
    let response = admin
        .post_form(
            "/authoring/courses/first-steps/owner",
            &[("username", "lena-nobody")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = admin
        .post_form(
            "/authoring/courses/first-steps/owner",
            &[("username", "tina")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = tina.page(editor).await;
    assert_eq!(status, StatusCode::OK, "now hers");
    let (_, list) = tina.page("/authoring").await;
    assert!(list.contains(&format!("href=\"{editor}\"")), "{list}");
    // A new owner replaces the old one.
    signed_in(&app, "tom", Role::Tutor).await;
    let response = admin
        .post_form(
            "/authoring/courses/first-steps/owner",
            &[("username", "tom")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = tina.page(editor).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Claims are made in the database before a new course is written, so
/// tutors (or instances) racing to publish one name cannot both own it.
async fn of_many_first_publishers_racing_for_one_name_one_owns_it(backend: Backend) {
    let app = TestApp::spawn_with(backend, courses_copy().path()).await;
    let mut ids = Vec::new();
    for n in 0..8 {
        let name = format!("racer{n}");
        ids.push(app.add_user(&name, Role::Tutor, "password123").await.id);
    }
    let claims = futures_util::future::join_all(ids.iter().map(|id| {
        let store = app.store.clone();
        let id = *id;
        async move { store.claim_course("contested", id).await.unwrap() }
    }))
    .await;
    use presto::store::course_authors::Claim;
    assert_eq!(
        claims.iter().filter(|c| **c == Claim::New).count(),
        1,
        "{claims:?}"
    );
    assert_eq!(
        claims.iter().filter(|c| **c == Claim::Taken).count(),
        ids.len() - 1
    );
    let owners = app.store.course_authors("contested").await.unwrap();
    assert_eq!(owners.len(), 1);
    assert_eq!(owners[0].part, AuthorRole::Owner);
    let winner = owners[0].user_id;
    assert_eq!(
        app.store.claim_course("contested", winner).await.unwrap(),
        Claim::Already,
        "the owner trying again"
    );
}
