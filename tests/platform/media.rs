//! Course media as the site serves it: only pictures and sound, typed by
//! their ending, under a policy that runs nothing, even for a course whose
//! folder holds something else (copied there by hand, not uploaded).

use reqwest::StatusCode;
use reqwest::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};

use crate::authoring::courses_copy;
use crate::on_both_databases;
use crate::support::{Backend, TestApp};

on_both_databases!(media_serves_only_pictures_and_sound_and_runs_nothing);

const PAGE: &str = "<!DOCTYPE html><html><body><script>fetch('/admin')</script></body></html>";
const SCRIPTED_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('/admin')"><script>fetch('/admin')</script></svg>"#;

async fn media_serves_only_pictures_and_sound_and_runs_nothing(backend: Backend) {
    let courses = courses_copy();
    // Not watching: the bad files below land in a course that is already
    // published, as they would in a folder edited by hand while the
    // compiler keeps the last good version live.
    let app = TestApp::spawn_configured(backend, courses.path(), |settings| {
        settings.watch_courses = false;
    })
    .await;
    let media = courses.path().join("first-steps/media");
    std::fs::create_dir_all(media.join("signs")).unwrap();
    for (name, bytes) in [
        ("x.html", PAGE.as_bytes()),
        ("X.HTM", PAGE.as_bytes()),
        ("x.js", b"fetch('/admin')".as_slice()),
        ("x.xhtml", PAGE.as_bytes()),
        ("x.svgz", PAGE.as_bytes()),
        ("signs/sign.svg", SCRIPTED_SVG.as_bytes()),
        ("page.png", PAGE.as_bytes()),
        ("hello.mp3", b"ID3\x04\0\0\0\0\0\0".as_slice()),
    ] {
        std::fs::write(media.join(name), bytes).unwrap();
    }
    let outside = courses.path().join("secret.txt");
    std::fs::write(&outside, "not for the web").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, media.join("secret.png")).unwrap();

    for name in [
        "x.html",
        "X.HTM",
        "x.js",
        "x.xhtml",
        "x.svgz",
        "secret.png",
        "missing.png",
    ] {
        let response = app.get(&format!("/media/first-steps/{name}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{name}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("fetch('/admin')"), "{name}: {body}");
        assert!(!body.contains("not for the web"), "{name}");
    }

    let header = |response: &reqwest::Response, name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let expected_csp = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    for (name, content_type) in [
        ("signs/sign.svg", "image/svg+xml"),
        ("page.png", "image/png"),
        ("hello.mp3", "audio/mpeg"),
    ] {
        let response = app.get(&format!("/media/first-steps/{name}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{name}");
        assert_eq!(
            header(&response, CONTENT_TYPE).as_deref(),
            Some(content_type),
            "{name}: typed by its ending, not its bytes"
        );
        assert_eq!(
            header(&response, X_CONTENT_TYPE_OPTIONS).as_deref(),
            Some("nosniff"),
            "{name}"
        );
        let csp = header(&response, CONTENT_SECURITY_POLICY).unwrap_or_default();
        assert_eq!(csp, expected_csp, "{name}");
        assert!(
            csp.split(';').any(|d| d.trim() == "sandbox") && !csp.contains("script-src"),
            "{name}: no script runs: {csp}"
        );
    }

    // Audio still plays in pieces (range requests), under the same headers.
    let response = app
        .client
        .get(app.url("/media/first-steps/hello.mp3"))
        .header(reqwest::header::RANGE, "bytes=0-2")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(&response, CONTENT_SECURITY_POLICY).as_deref(),
        Some(expected_csp)
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"ID3");

    // A course that is not published has no media, whatever its folder holds.
    let response = app.get("/media/not-a-course/page.png").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
