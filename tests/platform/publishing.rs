//! Start-up: courses compiled and published, a course with errors left out
//! with its problems reported, unchanged courses not compiled again, an idle
//! courses folder left alone by the watcher, and the health check.

use std::time::Duration;

use presto::store::courses::Published;
use reqwest::StatusCode;

use crate::authoring::courses_copy;
use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses};

on_both_databases!(
    a_course_with_errors_is_not_published_and_the_others_are,
    only_courses_whose_files_changed_are_compiled,
    an_idle_courses_folder_is_not_published_again,
);

async fn a_course_with_errors_is_not_published_and_the_others_are(backend: Backend) {
    let folder = tempfile::TempDir::new().unwrap();
    let good = folder.path().join("first-steps");
    std::fs::create_dir_all(&good).unwrap();
    for file in ["course.toml", "01-first-day.md"] {
        std::fs::copy(
            fixture_courses().join("first-steps").join(file),
            good.join(file),
        )
        .unwrap();
    }
    let broken = folder.path().join("broken-course");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("course.toml"),
        "title = \"Broken\"\nsector = \"care\"\nlevel = \"A1\"\nsummary = \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        broken.join("01-quiz.md"),
        "# Module\n\n## Quiz: Check {#check}\n\n### Which one?\n\n- [ ] a\n- [ ] b\n",
    )
    .unwrap();

    let app = TestApp::spawn_with(backend, folder.path()).await;
    let (status, body) = app.page("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));

    let slugs: Vec<String> = app
        .store
        .published_courses()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.course.slug)
        .collect();
    assert_eq!(slugs, ["first-steps"], "only the course without errors");
    let (status, _) = app.page("/courses/broken-course").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = app.page("/courses/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Page not found"), "a page a person can read");

    // Publishing again: the broken course's problems are reported with
    // file and line; the unchanged course is not even compiled again.
    let report = presto::catalog::publish_folder(&app.store, folder.path())
        .await
        .unwrap();
    assert_eq!(report.published, []);
    assert_eq!(report.unchanged, ["first-steps"]);
    let (slug, problems) = &report.rejected[0];
    assert_eq!(slug, "broken-course");
    assert!(problems.contains("01-quiz.md:7"), "{problems}");
    assert!(problems.contains("no-correct-option"), "{problems}");
}

async fn only_courses_whose_files_changed_are_compiled(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_configured(backend, courses.path(), |settings| {
        settings.watch_courses = false;
    })
    .await;
    let publish = || presto::catalog::publish_folder(&app.store, courses.path());

    let report = publish().await.unwrap();
    assert_eq!(report.published, [], "nothing compiled: {report:?}");
    assert_eq!(report.unchanged, ["first-steps", "next-steps"]);

    // One course changes: only it is compiled and published.
    let module = courses.path().join("next-steps/01-more.md");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(&module, format!("{text}\nOne more line.\n")).unwrap();
    let report = publish().await.unwrap();
    assert_eq!(
        report.published,
        [("next-steps".to_string(), Published::Updated(2))]
    );
    assert_eq!(report.unchanged, ["first-steps"]);

    // A course left out because of errors is compiled each time, so its
    // problems are reported each time.
    std::fs::write(&module, "no title\n").unwrap();
    let report = publish().await.unwrap();
    assert_eq!(report.published, []);
    assert_eq!(report.rejected.len(), 1, "{report:?}");
    assert_eq!(report.rejected[0].0, "next-steps");
    let report = publish().await.unwrap();
    assert_eq!(report.rejected.len(), 1, "{report:?}");
    assert_eq!(report.unchanged, ["first-steps"]);
}

async fn an_idle_courses_folder_is_not_published_again(backend: Backend) {
    let courses = courses_copy();
    let app = TestApp::spawn_with(backend, courses.path()).await;
    // Pages and media read the published courses; nothing reads or writes
    // the folder but the watcher's own publishing.
    let (status, _) = app.page("/courses/first-steps").await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        app.watch.folder_publishes(),
        0,
        "nothing changed, so nothing was published"
    );

    // A real change is still seen, and published once it settles.
    let module = courses.path().join("first-steps/01-first-day.md");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(
        &module,
        text.replace("I am Sam.", "I am Sam, idle no more."),
    )
    .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while app.watch.folder_publishes() == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the change was not seen"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        app.watch.folder_publishes(),
        1,
        "publishing the change did not start another publish"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_gzipped_for_browsers_that_ask() {
    use std::io::Read;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let plain = app.get("/").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.text().await.unwrap();
    let response = app
        .client
        .get(app.url("/"))
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.headers()["vary"], "accept-encoding");
    let compressed = response.bytes().await.unwrap();
    assert!(
        compressed.len() < plain.len(),
        "{} of {}",
        compressed.len(),
        plain.len()
    );
    let mut page = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("First steps at work"));
    let refused = app
        .client
        .get(app.url("/"))
        .header("Accept-Encoding", "gzip;q=0")
        .send()
        .await
        .unwrap();
    assert!(refused.headers().get("content-encoding").is_none());
}
