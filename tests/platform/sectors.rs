//! Sectors an organisation adds in `sectors.toml` beside its courses: a
//! retail course shows under "Retail" (before the shipped sectors, as the
//! file orders it, and under its Arabic name for an Arabic reader), in the
//! class form, the reports' filter, lines and funder CSV, and on the
//! certificate; a broken file is logged and leaves the shipped sectors,
//! and a mended or changed one is taken up while the server runs.

use std::path::Path;

use presto::domain::names::{FullName, Role, Username};
use presto::passwords::hash_password;
use presto::store::users::{Account, NewAccount};
use reqwest::StatusCode;
use tempfile::TempDir;

use crate::on_both_databases;
use crate::support::{Backend, TestApp, fixture_courses};

on_both_databases!(
    a_configured_sector_is_named_in_the_catalogue_reports_and_certificate,
    a_broken_sectors_toml_keeps_the_server_up_and_a_mended_one_is_taken_up,
);

/// The platform's fixture courses with the retail course and its
/// sectors.toml beside them.
fn courses_with_retail(sectors_toml: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    copy_dir(
        &fixture_courses().join("first-steps"),
        &dir.path().join("first-steps"),
    );
    let ok = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sectors/ok");
    copy_dir(&ok.join("shop-floor"), &dir.path().join("shop-floor"));
    std::fs::write(dir.path().join("sectors.toml"), sectors_toml).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn fixture_sectors_toml() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sectors/ok/sectors.toml"),
    )
    .unwrap()
}

async fn person(app: &TestApp, username: &str, role: Role, language: &str) -> Account {
    app.store
        .create_user(NewAccount {
            username: &Username::parse(username).unwrap(),
            full_name: &FullName::parse("Test Person").unwrap(),
            email: None,
            role,
            password_hash: &hash_password("password123").unwrap(),
            language,
            home_language: None,
            name_in_own_script: None,
        })
        .await
        .unwrap()
}

/// Where `needle` first is in `page`, failing with the page when absent.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not on the page:\n{page}"))
}

async fn a_configured_sector_is_named_in_the_catalogue_reports_and_certificate(backend: Backend) {
    let courses = courses_with_retail(&fixture_sectors_toml());
    let app = TestApp::spawn_with(backend, courses.path()).await;

    // The catalogue: a heading of its own, first as sectors.toml orders it.
    let (status, home) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    let retail = at(&home, r#"<h2 id="sector-retail">Retail</h2>"#);
    let shop_floor = at(&home, "English on the shop floor");
    let warehousing = at(&home, r#"<h2 id="sector-warehousing">Warehousing</h2>"#);
    assert!(
        retail < shop_floor && shop_floor < warehousing,
        "the retail course under Retail, before the shipped sectors"
    );
    assert!(!home.contains("Other courses"), "not under Other courses");
    assert!(!home.contains("sector-retail<"), "no translation key shows");

    // An Arabic reader sees the organisation's Arabic name, on the
    // catalogue and the course page.
    person(&app, "layla", Role::Learner, "ar").await;
    let arabic = app.another_browser();
    arabic.sign_in("layla", "password123").await;
    let (_, home) = arabic.page("/").await;
    at(&home, r#"<h2 id="sector-retail">البيع بالتجزئة</h2>"#);
    let (_, course) = arabic.page("/courses/shop-floor").await;
    at(&course, "البيع بالتجزئة");

    // A learner finishes it: the certificate names the sector.
    let sam = person(&app, "sam", Role::Learner, "en").await;
    let learner = app.another_browser();
    learner.sign_in("sam", "password123").await;
    learner.post_form("/courses/shop-floor/enrol", &[]).await;
    for lesson in ["greeting", "shelf"] {
        let done = learner
            .post_form(&format!("/courses/shop-floor/lessons/{lesson}/done"), &[])
            .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{lesson} marked done");
    }
    let certificates = app.store.certificates_of(sam.id).await.unwrap();
    assert_eq!(certificates.len(), 1, "the course is finished");
    assert_eq!(certificates[0].sector, "retail");
    let id = presto::domain::certificate_id::CertificateId::parse(&certificates[0].id)
        .unwrap()
        .to_string();
    let (status, verify) = app.another_browser().page(&format!("/verify/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    at(&verify, "Retail · English level A1 · 1 hour");

    // A tutor may put a class in the sector.
    person(&app, "tess", Role::Tutor, "en").await;
    let tutor = app.another_browser();
    tutor.sign_in("tess", "password123").await;
    let (_, form) = tutor.page("/classes/new").await;
    at(&form, r#"<option value="retail">Retail</option>"#);

    // The coordinator's reports: the filter, the line, the funder report.
    person(&app, "cora", Role::Coordinator, "en").await;
    let coordinator = app.another_browser();
    coordinator.sign_in("cora", "password123").await;
    let (status, dashboard) = coordinator.page("/reports").await;
    assert_eq!(status, StatusCode::OK);
    at(&dashboard, r#"<option value="retail">Retail</option>"#);
    let (status, filtered) = coordinator.page("/reports?sector=retail").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a configured sector is a good filter"
    );
    at(
        &filtered,
        r#"<option value="retail" selected>Retail</option>"#,
    );
    let (status, _) = coordinator.page("/reports?sector=factory").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown one is not");
    let (status, funder) = coordinator.page("/reports/funder").await;
    assert_eq!(status, StatusCode::OK);
    at(&funder, "Retail");
    let csv = coordinator
        .get("/reports/funder.csv?sector=retail")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines().any(|l| l.starts_with("retail,")),
        "the CSV has the sector's rows, by id:\n{csv}"
    );
    assert!(!csv.contains("warehousing,"), "and only them:\n{csv}");
}

async fn a_broken_sectors_toml_keeps_the_server_up_and_a_mended_one_is_taken_up(backend: Backend) {
    let courses =
        courses_with_retail("[[sector]]\nid = \"retail\"\n[sector.name]\nen = \"Retail\n");
    let app = TestApp::spawn_with(backend, courses.path()).await;
    let (status, home) = app.page("/").await;
    assert_eq!(status, StatusCode::OK, "the server runs");
    at(&home, "First steps at work");
    assert!(
        !home.contains("English on the shop floor"),
        "a course in a sector the broken file names is not published"
    );

    // Mended while the server runs: the watcher reads it again, publishes
    // the course, and a renamed sector shows its new name.
    std::fs::write(courses.path().join("sectors.toml"), fixture_sectors_toml()).unwrap();
    let home = page_once(&app, |home| home.contains("English on the shop floor")).await;
    at(&home, r#"<h2 id="sector-retail">Retail</h2>"#);
    std::fs::write(
        courses.path().join("sectors.toml"),
        fixture_sectors_toml().replace("en = \"Retail\"", "en = \"Shops\""),
    )
    .unwrap();
    page_once(&app, |home| {
        home.contains(r#"<h2 id="sector-retail">Shops</h2>"#)
    })
    .await;
}

/// The home page once `ready` holds for it (the watcher waits for changes
/// to settle before publishing), failing after 30 s.
async fn page_once(app: &TestApp, ready: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (_, home) = app.page("/").await;
        if ready(&home) {
            return home;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the change to sectors.toml was not taken up:\n{home}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
