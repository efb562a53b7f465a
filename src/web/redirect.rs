//! Where a redirect may send the browser. Every `303 See Other` the site
//! answers goes through [`see_other`], and every target that came from the
//! request (`?next=`, a form's `back`, the Referer) through
//! [`local_path`], so no link can send a learner to another site.
//!
//! Why each rule: browsers drop tabs and newlines anywhere in a URL and
//! treat `\` as `/`, so `/\t/evil.example`, `/\\evil.example` and
//! `//evil.example` all leave the site. A control character in a header
//! value is refused by the HTTP library, which used to make a 500 of it.

use std::fmt::Write;

use actix_web::HttpResponse;
use actix_web::http::header;

/// The page everything unsafe is sent to instead.
const HOME: &str = "/";

/// `candidate` when it is a path on this site, else `/`.
///
/// Accepted: starts with one `/`, no second `/` or `\` right after it, no
/// backslash anywhere and no control character (C0, DEL or C1). Letters
/// beyond ASCII (a course title in Arabic in a query) are percent-encoded
/// so the header is valid.
pub fn local_path(candidate: Option<&str>) -> String {
    candidate
        .filter(|path| is_local_path(path))
        .map_or_else(|| HOME.to_string(), percent_encode_non_ascii)
}

fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c == '\\' || c.is_control())
}

fn percent_encode_non_ascii(path: &str) -> String {
    if path.is_ascii() {
        return path.to_string();
    }
    let mut encoded = String::with_capacity(path.len() * 2);
    for c in path.chars() {
        if c.is_ascii() {
            encoded.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                // Writing to a String cannot fail.
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
    }
    encoded
}

/// `303 See Other` to a path on this site (anything else goes to `/`).
pub fn see_other(target: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, local_path(Some(target))))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds of target that leave the site; the full table of hostile
    /// values is tested against a running server in
    /// `tests/platform/hardening.rs`.
    const HOSTILE: &[&str] = &[
        "//evil.example",
        "/\t/evil.example",
        "/\r\nSet-Cookie: a=b",
        "/\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/\u{85}/evil.example",
        "",
    ];

    #[test]
    fn hostile_targets_go_home() {
        for hostile in HOSTILE {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn paths_on_the_site_are_kept() {
        for path in [
            "/",
            "/courses/kitchen/lessons/a?x=1",
            "/classes/3",
            "/login?next=%2Fclasses",
            "/a//b",
        ] {
            assert_eq!(local_path(Some(path)), path);
        }
    }

    #[test]
    fn letters_beyond_ascii_are_encoded_so_the_header_is_valid() {
        assert_eq!(
            local_path(Some("/search?q=ماء")),
            "/search?q=%D9%85%D8%A7%D8%A1"
        );
        let response = see_other("/search?q=ماء");
        assert_eq!(response.status(), 303);
        assert!(response.headers().contains_key(header::LOCATION));
    }

    #[test]
    fn every_hostile_target_still_makes_a_valid_redirect() {
        for hostile in HOSTILE {
            let response = see_other(hostile);
            assert_eq!(response.status(), 303, "{hostile:?}");
            assert_eq!(response.headers().get(header::LOCATION).unwrap(), "/");
        }
    }
}
