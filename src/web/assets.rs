//! The stylesheet and the little script there is, compiled into the binary
//! and served with a far-future cache (the URL carries a content hash), and
//! course media from the courses folder.

use std::sync::LazyLock;

use actix_files::NamedFile;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, Resource, web};

use super::State;
use super::errors::PageError;
use crate::course::media::MediaKind;

pub const STYLESHEET: &str = include_str!("../../assets/css/app.css");
pub const SCRIPT: &str = include_str!("../../assets/js/app.js");
/// Only on the module editor's page.
pub const EDITOR_SCRIPT: &str = include_str!("../../assets/js/editor.js");
/// The live class's pages: follow the class's event stream.
pub const LIVE_SCRIPT: &str = include_str!("../../assets/js/live.js");
/// The tab's icon: one small SVG, which every current browser shows.
pub const FAVICON: &str = include_str!("../../assets/icons/favicon.svg");

/// Changes whenever the stylesheet or script does, so browsers may cache
/// them for a year and still never see a stale one.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = blake3::Hasher::new();
    hasher.update(STYLESHEET.as_bytes());
    hasher.update(SCRIPT.as_bytes());
    hasher.update(EDITOR_SCRIPT.as_bytes());
    hasher.update(LIVE_SCRIPT.as_bytes());
    hasher.update(FAVICON.as_bytes());
    hasher.finalize().to_hex()[..12].to_string()
});

pub fn service() -> Resource {
    web::resource("/assets/{file}").route(web::get().to(asset))
}

async fn asset(path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (content_type, body) = match path.as_str() {
        "app.css" => ("text/css; charset=utf-8", STYLESHEET),
        "app.js" => ("text/javascript; charset=utf-8", SCRIPT),
        "editor.js" => ("text/javascript; charset=utf-8", EDITOR_SCRIPT),
        "live.js" => ("text/javascript; charset=utf-8", LIVE_SCRIPT),
        "favicon.svg" => ("image/svg+xml", FAVICON),
        _ => return Err(PageError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .body(body))
}

/// `/favicon.ico`, which browsers and bots ask for whatever the page
/// links: sent on to the SVG icon of this version (a day's cache on the
/// redirect, a year's on the icon, as for the stylesheet).
pub async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((
            header::LOCATION,
            format!("/assets/favicon.svg?v={}", *VERSION),
        ))
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(86_400),
        ]))
        .finish()
}

/// What every `/media` response carries: no guessing the type from the
/// bytes, and a policy under which nothing runs. An SVG opened on its own
/// (not through an `<img>`, where it never runs script) is a document of
/// the site's address; `sandbox` gives it an origin of its own with
/// scripts, forms and pop-ups off, and `default-src 'none'` lets it load
/// nothing but pictures and sound from the site.
pub const MEDIA_CSP: &str = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/// `/media/{slug}/{file}`: a file from a published course's `media/`
/// folder. Names are checked so nothing outside that folder can be reached,
/// and only pictures and sound are served, typed by their ending: a course
/// on disk that holds a web page (which the compiler refuses to publish,
/// but an older version of the course may still be live) never has it
/// served from the site's address.
pub async fn media(
    state: State,
    request: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, file) = path.into_inner();
    let safe = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    if state.catalog.get(&slug).is_none() || !file.split('/').all(safe) {
        return Err(PageError::NotFound);
    }
    let kind = MediaKind::of_name(&file).ok_or(PageError::NotFound)?;
    let folder = state.settings.courses.join(&slug).join("media");
    // As the compiler reads a course: a link out of its folder is not
    // part of it.
    let (Ok(folder), Ok(full)) = (
        tokio::fs::canonicalize(&folder).await,
        tokio::fs::canonicalize(folder.join(&file)).await,
    ) else {
        return Err(PageError::NotFound);
    };
    if !full.starts_with(&folder) {
        return Err(PageError::NotFound);
    }
    let named = NamedFile::open_async(&full)
        .await
        .map_err(|_| PageError::NotFound)?
        .disable_content_disposition();
    let mut response = named.into_response(&request);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(kind.content_type()),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(MEDIA_CSP),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}
