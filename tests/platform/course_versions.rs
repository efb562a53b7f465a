//! Nothing is lost when a course is replaced: each new version (an upload,
//! a module edit, a restore) keeps the one before in the hidden versions
//! area, `course_versions_kept` of them; an admin restores one as a new
//! version and learners keep their progress. A swap interrupted between
//! any two of its steps (a crash) is put right at the next start: the
//! course is served, old or new, never none.

use std::path::Path;

use presto::authoring::files::CourseFiles;
use presto::authoring::versions;
use presto::authoring::write::{STEPS, Swap};
use presto::domain::names::Role;
use reqwest::StatusCode;

use crate::authoring::{
    courses_copy, night_shift, open_editor, signed_in, tutor, upload, version_of,
};
use crate::on_both_databases;
use crate::support::{Backend, TestApp, hidden_field, location};

on_both_databases!(
    an_admin_restores_a_previous_version_and_progress_stays,
    only_as_many_versions_as_the_setting_are_kept,
    a_swap_stopped_between_any_two_steps_loses_no_course,
);

const NIGHT_EDITOR: &str = "/authoring/courses/night-shift/modules/01-at-night.md";
const VERSIONS: &str = "/authoring/courses/night-shift/versions";

async fn an_admin_restores_a_previous_version_and_progress_stays(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tina = tutor(&app).await;
    let (status, _) = upload(
        &tina,
        night_shift("Sign in at the gate."),
        "night.zip",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let learner = app.another_browser();
    learner.learner("lena").await;
    learner.post_form("/courses/night-shift/enrol", &[]).await;
    let done = learner
        .post_form("/courses/night-shift/lessons/arriving/done", &[])
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);

    let (status, _) = upload(
        &tina,
        night_shift("Sign in at the new gate."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A module edit keeps the version before it too.
    let (base, text) = open_editor(&tina, NIGHT_EDITOR).await;
    let edited = tina
        .post_form(
            &format!("{NIGHT_EDITOR}/publish"),
            &[
                ("base", &base),
                ("text", &text.replace("new gate", "side door")),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert_eq!(version_of(&app, "night-shift").await, Some(3));
    let kept = versions::list(courses.path(), "night-shift");
    assert_eq!(kept.len(), 2, "{kept:?}");
    let area = versions::course_area(courses.path(), "night-shift");
    let module_of =
        |name: &str| std::fs::read_to_string(area.join(name).join("01-at-night.md")).unwrap();
    assert!(
        module_of(&kept[0].name).contains("Sign in at the new gate."),
        "before the edit"
    );
    assert!(
        module_of(&kept[1].name).contains("Sign in at the gate."),
        "the first upload"
    );
    let published: Vec<String> = app
        .store
        .published_courses()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.course.slug)
        .collect();
    assert_eq!(
        published,
        ["first-steps", "next-steps", "night-shift"],
        "the kept versions are no courses"
    );

    // Only admins see and restore them.
    let (status, _) = tina.page(VERSIONS).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let first = &kept[1].name;
    let restore = format!("{VERSIONS}/{first}/restore");
    let (status, _) = tina.page(&restore).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let response = tina.post_form(&restore, &[("confirm", first)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let admin = signed_in(&app, "ada", Role::Admin).await;
    let (status, page) = admin.page(VERSIONS).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Previous version 2") && page.contains("Previous version 1"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"{restore}\"")), "{page}");
    let (_, list) = admin.page("/authoring").await;
    assert!(list.contains("Previous versions (2)"), "{list}");

    // The confirmation step: a plain form with a marked button.
    let (status, page) = admin.page(&restore).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("class=\"danger\""), "{page}");
    assert!(page.contains("Yes, restore version 1"), "{page}");
    assert_eq!(
        hidden_field(&page, "confirm").as_deref(),
        Some(first.as_str())
    );
    // A bare POST (no confirmation) or a forged one restores nothing.
    let bare = admin.post_form(&restore, &[]).await;
    assert_eq!(bare.status(), StatusCode::BAD_REQUEST);
    let forged = admin
        .client
        .post(admin.url(&restore))
        .form(&[("confirm", first.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let (status, _) = admin
        .page(&format!("{VERSIONS}/9-20000101T000000Z/restore"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = admin
        .page(&format!("{VERSIONS}/..%2F..%2Fetc/restore"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(version_of(&app, "night-shift").await, Some(3));

    let restored = admin.post_form(&restore, &[("confirm", first)]).await;
    assert_eq!(restored.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&restored), format!("{VERSIONS}?restored=4"));
    let (_, page) = admin.page(&location(&restored)).await;
    assert!(page.contains("it is published as version 4"), "{page}");
    assert_eq!(version_of(&app, "night-shift").await, Some(4));
    let (_, lesson) = learner.page("/courses/night-shift/lessons/arriving").await;
    assert!(lesson.contains("Sign in at the gate."), "{lesson}");
    assert!(lesson.contains("✓"), "the lesson is still done: {lesson}");
    // The version it replaced is kept in turn; the restored one stays too.
    let kept = versions::list(courses.path(), "night-shift");
    assert_eq!(kept.len(), 3);
    assert!(module_of(&kept[0].name).contains("side door"));
}

async fn only_as_many_versions_as_the_setting_are_kept(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_configured(backend, courses.path(), |settings| {
        settings.course_versions_kept = 1;
    })
    .await;
    let tina = tutor(&app).await;
    for (n, text) in ["One.", "Two.", "Three."].into_iter().enumerate() {
        let replace = (n > 0).then_some("night-shift");
        let (status, page) = upload(&tina, night_shift(text), "night.zip", replace).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    let kept = versions::list(courses.path(), "night-shift");
    assert_eq!(kept.len(), 1, "{kept:?}");
    let area = versions::course_area(courses.path(), "night-shift");
    let text = std::fs::read_to_string(area.join(&kept[0].name).join("01-at-night.md")).unwrap();
    assert!(text.contains("Two."), "the newest is kept: {text}");
}

/// The fixture course first-steps in memory, with its first lesson's text
/// changed: the new version a swap puts in.
fn new_first_steps(courses: &Path) -> CourseFiles {
    let dir = courses.join("first-steps");
    let mut files = CourseFiles {
        slug: "first-steps".into(),
        ..CourseFiles::default()
    };
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let mut bytes = std::fs::read(entry.path()).unwrap();
        if name == "01-first-day.md" {
            bytes = String::from_utf8(bytes)
                .unwrap()
                .replace("Good morning! I am Sam.", "Hello there! I am Sam.")
                .into_bytes();
        }
        files.files.insert(name, bytes);
    }
    files
}

async fn a_swap_stopped_between_any_two_steps_loses_no_course(backend: Backend) {
    // After staging only, then after each further step.
    for done in 0..=STEPS.len() {
        let courses = courses_copy();
        let old =
            std::fs::read_to_string(courses.path().join("first-steps/01-first-day.md")).unwrap();
        let mut swap = Swap::stage(courses.path(), &new_first_steps(courses.path()), 5).unwrap();
        for step in &STEPS[..done] {
            swap.run(*step).unwrap();
        }
        // The crash: the process is gone, nothing tidies up.
        drop(swap);
        if done == 2 {
            assert!(
                !courses.path().join("first-steps").exists(),
                "the moment a crash would lose the course"
            );
        }

        // The next start, on a database that has never seen the course:
        // what it serves can only come from the folder.
        let app = TestApp::spawn_with(backend.clone(), courses.path()).await;
        let (status, lesson) = {
            app.learner("amina").await;
            app.post_form("/courses/first-steps/enrol", &[]).await;
            app.page("/courses/first-steps/lessons/hello").await
        };
        let after = format!("stopped after {done} steps");
        assert_eq!(status, StatusCode::OK, "{after}: {lesson}");
        let (is_old, is_new) = (
            lesson.contains("Good morning! I am Sam."),
            lesson.contains("Hello there! I am Sam."),
        );
        assert!(is_old ^ is_new, "{after}: old or new, never none: {lesson}");
        if done < 3 {
            assert!(is_old, "{after}: not swapped yet, so the old one");
        } else {
            assert!(is_new, "{after}: swapped");
        }
        // The old text is never lost: at its place or kept as a version.
        let place =
            std::fs::read_to_string(courses.path().join("first-steps/01-first-day.md")).unwrap();
        let kept: Vec<String> = versions::list(courses.path(), "first-steps")
            .iter()
            .map(|v| {
                let dir = versions::course_area(courses.path(), "first-steps").join(&v.name);
                std::fs::read_to_string(dir.join("01-first-day.md")).unwrap()
            })
            .collect();
        assert!(
            place == old || kept.contains(&old),
            "{after}: the old version is lost"
        );
        // And the next change goes through.
        let tina = tutor(&app).await;
        app.store
            .set_course_owner(
                "first-steps",
                app.store.credentials("tina").await.unwrap().unwrap().0.id,
            )
            .await
            .unwrap();
        let (base, text) = open_editor(
            &tina,
            "/authoring/courses/first-steps/modules/01-first-day.md",
        )
        .await;
        let published = tina
            .post_form(
                "/authoring/courses/first-steps/modules/01-first-day.md/publish",
                &[
                    ("base", &base),
                    ("text", &text.replace("I am Sam.", "I am Sam, later.")),
                ],
            )
            .await;
        assert_eq!(published.status(), StatusCode::SEE_OTHER, "{after}");
        app.stop().await;
    }
}
