//! Gzip for pages, in line. actix's `Compress` hands any body over 1 KB to
//! the blocking thread pool; for a page of a few KB the hand-over costs more
//! than compressing it here. Pages leave with `Content-Encoding: gzip`, so
//! `Compress` (which still serves everything else) lets them pass.

use std::cell::RefCell;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

fn accepts_gzip(request: &ServiceRequest) -> bool {
    request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
                name == "gzip" && !refused
            })
        })
}

thread_local! {
    /// One deflate state per worker thread, reset for each page. A new one
    /// per page allocates and clears a few hundred KB of tables to compress
    /// a few KB: most of what gzip cost.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// The gzip header (RFC 1952): deflate, no name, no time, unknown OS.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    out.extend_from_slice(&GZIP_HEADER);
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        loop {
            let read = deflate.total_in() as usize;
            let status = deflate
                .compress_vec(&bytes[read..], &mut out, FlushCompress::Finish)
                .map_err(std::io::Error::other)?;
            if status == Status::StreamEnd {
                return Ok::<(), std::io::Error>(());
            }
            // Out of room: compress_vec writes only into spare capacity.
            out.reserve(out.capacity().max(256));
        }
    })?;
    let mut crc = Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE: the length modulo 2^32, as the format says.
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    Ok(out)
}

/// Middleware (`from_fn`): compresses HTML responses whose body is already
/// in memory (every rendered page).
pub async fn gzip_pages(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wanted = accepts_gzip(&request);
    let response = next.call(request).await?;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let already_encoded = response.headers().contains_key(header::CONTENT_ENCODING);
    if !wanted || !is_html || already_encoded {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let body = match body.try_into_bytes() {
        Ok(bytes) => match gzip(&bytes) {
            Ok(compressed) => {
                head.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                BoxBody::new(compressed)
            }
            Err(_) => BoxBody::new(bytes),
        },
        // A streamed body: left to `Compress`.
        Err(body) => BoxBody::new(body),
    };
    head.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(ServiceResponse::new(request, head.set_body(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;
        let page = "<p>Hello</p>".repeat(200);
        let compressed = gzip(page.as_bytes()).unwrap();
        assert!(compressed.len() < page.len() / 10);
        let mut back = String::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
    }

    #[test]
    fn the_reused_state_compresses_each_page_afresh() {
        use std::io::Read;
        // Pages of every size, one after another on this thread: each
        // decompresses to itself (a page that does not compress at all
        // needs more room than the first guess).
        let noise: String = (0..20_000u32)
            .map(|i| char::from(b'!' + (i.wrapping_mul(2_654_435_761) >> 27) as u8))
            .collect();
        for page in [
            "",
            "x",
            "<p>Hello</p>",
            &"<li>Row</li>".repeat(5_000),
            &noise,
        ] {
            let compressed = gzip(page.as_bytes()).unwrap();
            let mut back = String::new();
            flate2::read::GzDecoder::new(&compressed[..])
                .read_to_string(&mut back)
                .unwrap();
            assert_eq!(back, page);
        }
    }
}
