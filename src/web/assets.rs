//! The stylesheet and the little script there is, compiled into the binary
//! and served with a far-future cache (the URL carries a content hash), and
//! course media from the courses folder.

use std::sync::LazyLock;

use actix_files::NamedFile;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, Resource, web};

use super::State;
use super::errors::PageError;

pub const STYLESHEET: &str = include_str!("../../assets/css/app.css");
pub const SCRIPT: &str = include_str!("../../assets/js/app.js");
/// Only on the module editor's page.
pub const EDITOR_SCRIPT: &str = include_str!("../../assets/js/editor.js");

/// Changes whenever the stylesheet or script does, so browsers may cache
/// them for a year and still never see a stale one.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = blake3::Hasher::new();
    hasher.update(STYLESHEET.as_bytes());
    hasher.update(SCRIPT.as_bytes());
    hasher.update(EDITOR_SCRIPT.as_bytes());
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

/// `/media/{slug}/{file}`: a file from a published course's `media/`
/// folder. Names are checked so nothing outside that folder can be reached.
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
    let full = state.settings.courses.join(&slug).join("media").join(&file);
    let named = NamedFile::open_async(&full)
        .await
        .map_err(|_| PageError::NotFound)?;
    let mut response = named.into_response(&request);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}
