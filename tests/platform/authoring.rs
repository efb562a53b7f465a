//! Authoring in the browser: uploading a course zip, editing a module with
//! its check and preview, publishing only without errors, refusing unsafe
//! zips and stale edits, and the courses folder watched while the server
//! runs. Learners keep their progress through every new version.
//!
//! Each test works on its own copy of the fixture courses: these tests
//! write into the courses folder.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use presto::domain::names::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses, hidden_field, location};

on_both_databases!(
    a_tutor_uploads_a_course_then_a_new_version,
    a_zip_with_a_course_error_publishes_nothing,
    a_zip_with_a_page_or_script_in_media_is_refused,
    unsafe_or_oversized_zips_are_refused_and_nothing_is_written,
    an_edited_module_is_published_only_without_errors_and_progress_stays,
    an_edit_over_a_changed_module_is_refused,
    a_change_on_disk_is_published_while_the_server_runs,
    another_instance_shows_an_upload,
);

/// A copy of the fixture courses that a test may change.
pub(crate) fn courses_copy() -> TempDir {
    let dir = TempDir::new().unwrap();
    for course in ["first-steps", "next-steps"] {
        let from = fixture_courses().join(course);
        let to = dir.path().join(course);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    dir
}

/// What is in a folder, hidden entries included, so a test can see that
/// nothing was written.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const NIGHT_SHIFT_TOML: &[u8] = b"title = \"Night shift\"\nsector = \"warehousing\"\nlevel = \"A2\"\nsummary = \"Working at night.\"\n";

pub(crate) fn night_shift(lesson: &str) -> Vec<u8> {
    let module = format!(
        "# At night\n\n## Arriving {{#arriving}}\n\n{lesson}\n\n## Quiz: Night {{#night-quiz}}\n\n### When do you sign in?\n\n- [x] When you arrive\n- [ ] When you leave\n"
    );
    zip_of(&[
        ("night-shift/course.toml", NIGHT_SHIFT_TOML),
        ("night-shift/01-at-night.md", module.as_bytes()),
        ("night-shift/notes.txt", b"for me only"),
    ])
}

/// The fixture course first-steps as a zip, with its first module changed.
fn first_steps_zip(change: impl Fn(String) -> String) -> Vec<u8> {
    let dir = fixture_courses().join("first-steps");
    let toml = std::fs::read(dir.join("course.toml")).unwrap();
    let module = change(std::fs::read_to_string(dir.join("01-first-day.md")).unwrap());
    zip_of(&[
        ("first-steps/course.toml", &toml),
        ("first-steps/01-first-day.md", module.as_bytes()),
    ])
}

pub(crate) async fn tutor(app: &TestApp) -> TestApp {
    signed_in(app, "tina", Role::Tutor).await
}

/// A new account with this role, signed in in a browser of its own.
pub(crate) async fn signed_in(app: &TestApp, username: &str, role: Role) -> TestApp {
    let browser = app.another_browser();
    browser.add_user(username, role, "password123").await;
    browser.sign_in(username, "password123").await;
    browser
}

/// Tina, made the owner of a course found in the courses folder (which
/// belongs to the admins until then).
async fn tutor_owning(app: &TestApp, slug: &str) -> TestApp {
    let browser = tutor(app).await;
    let (tina, _) = app.store.credentials("tina").await.unwrap().unwrap();
    app.store.set_course_owner(slug, tina.id).await.unwrap();
    browser
}

/// Posts the upload form; the page and its status.
pub(crate) async fn upload(
    browser: &TestApp,
    zip: Vec<u8>,
    file_name: &str,
    replace: Option<&str>,
) -> (StatusCode, String) {
    let csrf = browser.csrf().await;
    let mut form = Form::new().text("csrf", csrf);
    if let Some(replace) = replace {
        form = form.text("replace", replace.to_string());
    }
    let part = Part::bytes(zip)
        .file_name(file_name.to_string())
        .mime_str("application/zip")
        .unwrap();
    let response = browser
        .client
        .post(browser.url("/authoring/upload"))
        .multipart(form.part("file", part))
        .send()
        .await
        .expect("upload");
    let status = response.status();
    (status, response.text().await.unwrap())
}

pub(crate) async fn version_of(app: &TestApp, slug: &str) -> Option<i32> {
    app.store
        .published_courses()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.course.slug == slug)
        .map(|p| p.version)
}

async fn a_tutor_uploads_a_course_then_a_new_version(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tutor = tutor(&app).await;

    let (status, page) = upload(
        &tutor,
        night_shift("Sign in at the gate."),
        "night.zip",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Published: version 1"), "{page}");
    assert!(page.contains("notes.txt"), "the file left out is named");
    assert!(courses.path().join("night-shift/01-at-night.md").exists());
    assert!(
        !courses.path().join("night-shift/notes.txt").exists(),
        "only what Presto uses is written"
    );
    let (status, course) = app.page("/courses/night-shift").await;
    assert_eq!(status, StatusCode::OK);
    assert!(course.contains("Night shift"), "served at once");
    let learner = app.another_browser();
    learner.learner("lena").await;
    learner.post_form("/courses/night-shift/enrol", &[]).await;
    let (_, lesson) = learner.page("/courses/night-shift/lessons/arriving").await;
    assert!(lesson.contains("Sign in at the gate."), "{lesson}");

    // The same course name again is refused unless it is meant as an update.
    let (status, page) = upload(&tutor, night_shift("Changed."), "night.zip", None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("There is already a course called night-shift"),
        "{page}"
    );
    let (status, page) = upload(
        &tutor,
        first_steps_zip(|m| m),
        "first-steps.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("holds the course first-steps, not night-shift"),
        "{page}"
    );
    assert_eq!(version_of(&app, "night-shift").await, Some(1));

    let (status, page) = upload(
        &tutor,
        night_shift("Sign in at the new gate."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Published: version 2"), "{page}");
    assert_eq!(version_of(&app, "night-shift").await, Some(2));
    // The lesson she read at version 1 now shows version 2's text.
    let (_, lesson) = learner.page("/courses/night-shift/lessons/arriving").await;
    assert!(lesson.contains("Sign in at the new gate."), "{lesson}");

    // The same zip once more changes nothing.
    let (status, page) = upload(
        &tutor,
        night_shift("Sign in at the new gate."),
        "night.zip",
        Some("night-shift"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Nothing changed"), "{page}");
    assert_eq!(version_of(&app, "night-shift").await, Some(2));

    // The list shows it with its module, ready to edit.
    let (status, list) = tutor.page("/authoring").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Published: version 2"));
    assert!(list.contains("href=\"/authoring/courses/night-shift/modules/01-at-night.md\""));
}

async fn a_zip_with_a_course_error_publishes_nothing(backend: Backend) {
    let courses = courses_copy();
    let before = listing(courses.path());
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tutor = tutor(&app).await;
    let zip = zip_of(&[
        (
            "broken-course/course.toml",
            b"title = \"Broken\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"x\"\n",
        ),
        (
            "broken-course/01-quiz.md",
            b"# Module\n\n## Quiz: Check {#check}\n\n### Which one?\n\n- [ ] a\n- [ ] b\n",
        ),
    ]);
    let (status, page) = upload(&tutor, zip, "broken-course.zip", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("nothing was saved or published"), "{page}");
    assert!(
        page.contains("broken-course/01-quiz.md:7:1"),
        "file, line and column: {page}"
    );
    assert!(page.contains("[no-correct-option]"));
    assert!(page.contains("No answer is marked right."), "the message");
    assert!(
        page.contains("Put an x in the box of the right answer"),
        "the hint"
    );
    assert!(
        page.contains("<mark>- [ ] a</mark>"),
        "the line with the problem marked"
    );
    assert_eq!(listing(courses.path()), before, "nothing written");
    assert_eq!(version_of(&app, "broken-course").await, None);
    let (status, _) = app.page("/courses/broken-course").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_zip_with_a_page_or_script_in_media_is_refused(backend: Backend) {
    let courses = courses_copy();
    let before = listing(courses.path());
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tutor = tutor(&app).await;
    let page = b"<!DOCTYPE html><html><script>fetch('/admin')</script></html>";
    let module = b"# At night\n\n## Arriving {#arriving}\n\nSign in.\n\n[Read the rules](media/rules.html)\n\n![The door](media/door.png)\n";
    // What is wrong, the media files in the zip, and what the page says.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a [u8])], &'a [&'a str]);
    let cases: &[Case] = &[
        (
            "a page and a script",
            &[
                ("night-shift/media/rules.html", page),
                ("night-shift/media/app.js", b"fetch('/admin')"),
                ("night-shift/media/door.png", b"\x89PNG\r\n\x1a\n\0\0"),
            ],
            &[
                "[media-not-allowed]",
                "night-shift/01-at-night.md:7:1",
                "night-shift/media/app.js:1:1",
                "is not a picture or a sound file",
                "The media folder may hold pictures (.png",
            ],
        ),
        (
            "a page named as a picture",
            &[
                ("night-shift/media/rules.html", page),
                ("night-shift/media/door.png", page),
            ],
            &[
                "[media-wrong-content]",
                "night-shift/01-at-night.md:9:1",
                "is named as a PNG picture but holds a web page (HTML)",
            ],
        ),
        (
            "a drawing with a script",
            &[
                ("night-shift/media/door.png", b"\x89PNG\r\n\x1a\n\0\0"),
                (
                    "night-shift/media/door.svg",
                    b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>fetch('/admin')</script></svg>",
                ),
            ],
            &["[unsafe-svg]", "night-shift/media/door.svg:1:1", "holds a script"],
        ),
    ];
    for (what, media, told) in cases {
        let mut files: Vec<(&str, &[u8])> = vec![
            ("night-shift/course.toml", NIGHT_SHIFT_TOML),
            ("night-shift/01-at-night.md", module),
        ];
        files.extend_from_slice(media);
        let (status, body) = upload(&tutor, zip_of(&files), "night.zip", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert!(
            body.contains("nothing was saved or published"),
            "{what}: {body}"
        );
        for expected in *told {
            assert!(body.contains(expected), "{what}: {expected} in {body}");
        }
        assert_eq!(listing(courses.path()), before, "{what}: nothing written");
        let (status, _) = app.page("/courses/night-shift").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
        let (status, _) = app.page("/media/night-shift/rules.html").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
    }

    // The same course with its media fixed is published.
    let files: Vec<(&str, &[u8])> = vec![
        ("night-shift/course.toml", NIGHT_SHIFT_TOML),
        (
            "night-shift/01-at-night.md",
            b"# At night\n\n## Arriving {#arriving}\n\nSign in.\n\n![The door](media/door.png)\n",
        ),
        ("night-shift/media/door.png", b"\x89PNG\r\n\x1a\n\0\0"),
    ];
    let (status, body) = upload(&tutor, zip_of(&files), "night.zip", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let response = app.get("/media/night-shift/door.png").await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn unsafe_or_oversized_zips_are_refused_and_nothing_is_written(backend: Backend) {
    let courses = courses_copy();
    let before = listing(courses.path());
    let app = TestApp::spawn_configured(backend, courses.path(), |settings| {
        settings.upload_limit_mb = 1;
    })
    .await;
    let tutor = tutor(&app).await;
    let course_toml: &[u8] = NIGHT_SHIFT_TOML;

    let slip = zip_of(&[("course.toml", course_toml), ("../evil.md", b"# Evil")]);
    let (status, page) = upload(&tutor, slip, "evil.zip", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("leads out of the folder: ../evil.md"),
        "{page}"
    );

    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("linked/course.toml", SimpleFileOptions::default())
        .unwrap();
    writer.write_all(course_toml).unwrap();
    writer
        .add_symlink(
            "linked/01-x.md",
            "/etc/passwd",
            SimpleFileOptions::default(),
        )
        .unwrap();
    let linked = writer.finish().unwrap().into_inner();
    let (status, page) = upload(&tutor, linked, "linked.zip", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("has a link (shortcut): linked/01-x.md"),
        "{page}"
    );

    let outside = zip_of(&[
        ("mine/course.toml", course_toml),
        ("theirs/01-x.md", b"# X"),
    ]);
    let (status, page) = upload(&tutor, outside, "mine.zip", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("outside the course folder: theirs/01-x.md"),
        "{page}"
    );

    let (status, page) = upload(&tutor, b"# not a zip".to_vec(), "module.zip", None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(page.contains("This file is not a zip file"), "{page}");

    // 1 MB allowed: 1.5 MB of bytes that do not compress.
    let mut noise = Vec::with_capacity(1_500_000);
    let mut x: u32 = 2_463_534_242;
    while noise.len() < 1_500_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    let big = zip_of(&[("course.toml", course_toml), ("media/noise.bin", &noise)]);
    let (status, page) = upload(&tutor, big, "big.zip", None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("it can be at most 1 MB"), "{page}");

    // A zip bomb: small, but 8 MB unpacked where 4 MB is allowed.
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let bomb = zip_of(&[("course.toml", course_toml), ("media/zeros.bin", &zeros)]);
    assert!(bomb.len() < 100_000);
    let (status, page) = upload(&tutor, bomb, "bomb.zip", None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("Unpacked, the zip file is too big"), "{page}");

    assert_eq!(listing(courses.path()), before, "nothing written");
    assert!(
        !courses.path().parent().unwrap().join("evil.md").exists(),
        "nothing outside the courses folder either"
    );
}

/// The editor's form fields as the page gives them.
pub(crate) async fn open_editor(browser: &TestApp, path: &str) -> (String, String) {
    let (status, page) = browser.page(path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let base = hidden_field(&page, "base").expect("the base hash");
    let start = page.find("<textarea").unwrap();
    let start = start + page[start..].find(">\n").unwrap() + 2;
    let end = start + page[start..].find("</textarea>").unwrap();
    let text = page[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    (base, text)
}

const EDITOR: &str = "/authoring/courses/first-steps/modules/01-first-day.md";

async fn an_edited_module_is_published_only_without_errors_and_progress_stays(backend: Backend) {
    let courses = courses_copy();
    let module_file = courses.path().join("first-steps/01-first-day.md");
    let app = TestApp::spawn_with(backend, courses.path()).await;
    app.learner("amina").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;
    app.post_form("/courses/first-steps/lessons/hello/done", &[])
        .await;
    let passed = app
        .submit_quiz("first-steps", "first-quiz", true, None)
        .await;
    assert_eq!(passed.status(), StatusCode::SEE_OTHER);
    let (_, course) = app.page("/courses/first-steps").await;
    assert!(course.contains("66% done"), "two of three done: {course}");

    let tutor = tutor_owning(&app, "first-steps").await;
    let (base, text) = open_editor(&tutor, EDITOR).await;
    assert!(text.contains("Wear safety shoes on the warehouse floor."));
    assert_eq!(
        text,
        std::fs::read_to_string(&module_file).unwrap(),
        "the file as it is"
    );

    // Without JavaScript: check and preview, nothing saved.
    let broken = text.replace("Wear safety shoes", "Wear <b>safety</b> shoes");
    let checked = tutor
        .post_form(
            &format!("{EDITOR}/check"),
            &[("base", &base), ("text", &broken)],
        )
        .await;
    assert_eq!(checked.status(), StatusCode::OK);
    let page = checked.text().await.unwrap();
    assert!(page.contains("first-steps/01-first-day.md:17:6"), "{page}");
    assert!(page.contains("[raw-html]") && page.contains("Raw HTML is not allowed"));
    assert!(
        // `<b>` and `</b>` are on one line: one error.
        page.contains("1 error, 0 warnings. Not ready to publish"),
        "{page}"
    );
    assert!(
        page.contains("Good morning! I am Sam."),
        "the preview as a lesson shows it"
    );
    assert!(page.contains("Who leads your team?"), "and the quiz");

    // The script's endpoint: the same, as JSON.
    let preview = tutor
        .post_form(&format!("{EDITOR}/preview"), &[("text", &broken)])
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: serde_json::Value = preview.json().await.unwrap();
    assert_eq!(
        preview["errors"], 1,
        "the opening and the closing tag, one line"
    );
    assert!(preview["html"].as_str().unwrap().contains("17:6"));

    // Publishing with the error: refused, nothing written.
    let refused = tutor
        .post_form(
            &format!("{EDITOR}/publish"),
            &[("base", &base), ("text", &broken)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Not published: the course has errors"),
        "{page}"
    );
    assert!(
        page.contains("Wear &lt;b&gt;safety&lt;/b&gt; shoes"),
        "the tutor's text is kept"
    );
    assert_eq!(std::fs::read_to_string(&module_file).unwrap(), text);
    assert_eq!(version_of(&app, "first-steps").await, Some(1));

    // Fixed (and typed in a browser, with CR LF line ends): published.
    let fixed = text
        .replace("Wear safety shoes", "Always wear safety shoes")
        .replace('\n', "\r\n");
    let published = tutor
        .post_form(
            &format!("{EDITOR}/publish"),
            &[("base", &base), ("text", &fixed)],
        )
        .await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&published), format!("{EDITOR}?published=2"));
    let (_, page) = tutor.page(&location(&published)).await;
    assert!(page.contains("Published: version 2"), "{page}");
    let saved = std::fs::read_to_string(&module_file).unwrap();
    assert!(
        saved.contains("Always wear safety shoes") && !saved.contains('\r'),
        "line ends kept"
    );
    assert_eq!(version_of(&app, "first-steps").await, Some(2));

    let (_, lesson) = app.page("/courses/first-steps/lessons/shoes").await;
    assert!(
        lesson.contains("Always wear safety shoes"),
        "the learner sees the new text"
    );
    let (_, course) = app.page("/courses/first-steps").await;
    assert!(course.contains("66% done"), "progress kept: {course}");
    let (_, quiz) = app.page("/courses/first-steps/lessons/first-quiz").await;
    assert!(quiz.contains("Passed"), "the passed quiz stays passed");

    // A new version by zip: progress stays too.
    let (status, page) = upload(
        &tutor,
        first_steps_zip(|m| m.replace("Good morning! I am Sam.", "Hello! I am Sam.")),
        "first-steps.zip",
        Some("first-steps"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(version_of(&app, "first-steps").await, Some(3));
    let (_, lesson) = app.page("/courses/first-steps/lessons/hello").await;
    assert!(lesson.contains("Hello! I am Sam."));
    assert!(lesson.contains("✓"), "the lesson is still done: {lesson}");
    let (_, course) = app.page("/courses/first-steps").await;
    assert!(course.contains("66% done"), "progress kept: {course}");
}

async fn an_edit_over_a_changed_module_is_refused(backend: Backend) {
    let courses = courses_copy();
    let module_file = courses.path().join("first-steps/01-first-day.md");
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let tina = tutor_owning(&app, "first-steps").await;
    let (base, text) = open_editor(&tina, EDITOR).await;

    // Meanwhile someone else publishes a change.
    let other = app.another_browser();
    other.add_user("omar", Role::Admin, "password123").await;
    other.sign_in("omar", "password123").await;
    let (other_base, other_text) = open_editor(&other, EDITOR).await;
    let theirs = other_text.replace("I am Sam.", "I am Sam, your supervisor.");
    let published = other
        .post_form(
            &format!("{EDITOR}/publish"),
            &[("base", &other_base), ("text", &theirs)],
        )
        .await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);

    let mine = text.replace("Wear safety shoes", "Always wear safety shoes");
    let refused = tina
        .post_form(
            &format!("{EDITOR}/publish"),
            &[("base", &base), ("text", &mine)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("someone changed this module after you opened it"),
        "{page}"
    );
    assert!(
        page.contains("Always wear safety shoes"),
        "the tutor's text is kept"
    );
    let on_disk = std::fs::read_to_string(&module_file).unwrap();
    assert!(
        on_disk.contains("your supervisor") && !on_disk.contains("Always wear"),
        "no silent overwrite"
    );

    // A change made on disk counts the same.
    let (base, text) = open_editor(&tina, EDITOR).await;
    std::fs::write(&module_file, text.replace("Good morning!", "Hi!")).unwrap();
    let refused = tina
        .post_form(
            &format!("{EDITOR}/publish"),
            &[("base", &base), ("text", &mine)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
}

/// Waits for a page to contain a text, for at most `limit`.
async fn eventually(browser: &TestApp, path: &str, text: &str, limit: Duration) -> String {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let (_, page) = browser.page(path).await;
        if page.contains(text) {
            return page;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{path} never showed {text:?}:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_change_on_disk_is_published_while_the_server_runs(backend: Backend) {
    let courses = courses_copy();
    let module_file = courses.path().join("first-steps/01-first-day.md");
    let app = TestApp::spawn_with(backend, courses.path()).await;
    app.learner("amina").await;
    app.post_form("/courses/first-steps/enrol", &[]).await;

    let text = std::fs::read_to_string(&module_file).unwrap();
    std::fs::write(
        &module_file,
        text.replace("I am Sam.", "I am Sam, on disk."),
    )
    .unwrap();
    eventually(
        &app,
        "/courses/first-steps/lessons/hello",
        "I am Sam, on disk.",
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(version_of(&app, "first-steps").await, Some(2));

    // A broken file is not published; the last good version is served.
    std::fs::write(&module_file, "no title here\n").unwrap();
    // A new course in the same burst of changes shows the folder was read.
    let new_course = courses.path().join("late-course");
    std::fs::create_dir(&new_course).unwrap();
    std::fs::write(
        new_course.join("course.toml"),
        "title = \"Late course\"\nsector = \"other\"\nlevel = \"A1\"\nsummary = \"Late.\"\n",
    )
    .unwrap();
    std::fs::write(
        new_course.join("01-late.md"),
        "# Late\n\n## Late lesson\n\nLate.\n",
    )
    .unwrap();
    eventually(&app, "/", "Late course", Duration::from_secs(30)).await;
    let (status, lesson) = app.page("/courses/first-steps/lessons/hello").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        lesson.contains("I am Sam, on disk."),
        "the last good version"
    );
    assert_eq!(version_of(&app, "first-steps").await, Some(2));

    // Even the whole folder going away does not stop the server.
    std::fs::remove_dir_all(courses.path()).unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (status, _) = app.page("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.page("/courses/first-steps").await;
    assert_eq!(status, StatusCode::OK, "published courses stay");
}

async fn another_instance_shows_an_upload(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    // A second instance on the same database, not watching any folder.
    let other_folder = courses_copy();
    let other = app
        .restart_configured(other_folder.path(), |settings| {
            settings.watch_courses = false;
            settings.catalog_refresh_secs = 1;
        })
        .await;
    let (status, _) = other.page("/courses/night-shift").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let tutor = tutor(&app).await;
    let (status, page) = upload(&tutor, night_shift("Sign in."), "night.zip", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    eventually(&other, "/", "Night shift", Duration::from_secs(20)).await;
}
