//! Gzip for pages, in line. actix's `Compress` hands any body over 1 KB to
//! the blocking thread pool; for a page of a few KB the hand-over costs more
//! than compressing it here. Pages leave with `Content-Encoding: gzip`, so
//! `Compress` (which still serves everything else) lets them pass.

use std::cell::RefCell;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;

/// Whether the request's `Accept-Encoding` takes gzip.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
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

/// A page with gaps, compressed ahead of time. Each response fills every
/// gap with the same short text (a CSRF token) and is sent as gzip without
/// compressing the page again: the parts between the gaps are raw deflate,
/// each ended by a sync flush (on a byte boundary, not the last block), and
/// the filler goes between them as a stored block (RFC 1951, 3.2.4).
#[derive(Debug)]
pub struct GappedPage {
    parts: Vec<String>,
    deflated: Vec<Vec<u8>>,
}

impl GappedPage {
    /// Cuts `page` at every `gap` and compresses the parts, as well as
    /// deflate can: it happens once per page, not once per response.
    pub fn new(page: &str, gap: &str) -> std::io::Result<GappedPage> {
        let parts: Vec<String> = page.split(gap).map(str::to_owned).collect();
        let deflated = parts
            .iter()
            .map(|part| deflate_flushed(part.as_bytes()))
            .collect::<std::io::Result<_>>()?;
        Ok(GappedPage { parts, deflated })
    }

    /// The page with `filler` in every gap.
    pub fn fill(&self, filler: &str) -> String {
        let gaps = self.parts.len().saturating_sub(1);
        let length = self.parts.iter().map(String::len).sum::<usize>() + gaps * filler.len();
        let mut page = String::with_capacity(length);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                page.push_str(filler);
            }
            page.push_str(part);
        }
        page
    }

    /// The same page as [`fill`](Self::fill), as a gzip member.
    pub fn fill_gzip(&self, filler: &str) -> Vec<u8> {
        let gaps = self.parts.len().saturating_sub(1);
        let compressed = self.deflated.iter().map(Vec::len).sum::<usize>();
        let mut out =
            Vec::with_capacity(GZIP_HEADER.len() + compressed + gaps * (filler.len() + 5) + 13);
        out.extend_from_slice(&GZIP_HEADER);
        let mut crc = Crc::new();
        for (i, (part, deflated)) in self.parts.iter().zip(&self.deflated).enumerate() {
            if i > 0 {
                push_stored_blocks(&mut out, filler.as_bytes());
                crc.update(filler.as_bytes());
            }
            out.extend_from_slice(deflated);
            crc.update(part.as_bytes());
        }
        // The last block: stored, empty, marked final.
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        // ISIZE: the length modulo 2^32, as the format says.
        out.extend_from_slice(&(crc.amount()).to_le_bytes());
        out
    }
}

/// Raw deflate of `bytes` ending in a sync flush: byte-aligned, with no
/// block marked final, so more blocks can follow. Nothing for no bytes.
fn deflate_flushed(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    if bytes.is_empty() {
        return Ok(out);
    }
    let mut deflate = Compress::new(Compression::best(), false);
    loop {
        let read = deflate.total_in() as usize;
        deflate
            .compress_vec(&bytes[read..], &mut out, FlushCompress::Sync)
            .map_err(std::io::Error::other)?;
        // The flush is complete once all input is taken and the output
        // did not fill the room it had (compress_vec writes only into
        // spare capacity).
        if deflate.total_in() as usize == bytes.len() && out.len() < out.capacity() {
            return Ok(out);
        }
        out.reserve(out.capacity().max(256));
    }
}

/// `bytes` as stored (uncompressed) deflate blocks, none final; each holds
/// at most 65,535 bytes. Starts and ends on a byte boundary.
fn push_stored_blocks(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(usize::from(u16::MAX)) {
        // BFINAL 0, BTYPE 00, then padding to the byte boundary.
        out.push(0x00);
        let length = chunk.len() as u16;
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

/// A response whose body is already gzip-compressed (`gzip_pages` passes
/// it on as it is).
pub fn gzip_page(mut builder: actix_web::HttpResponseBuilder, body: Vec<u8>) -> HttpResponse {
    builder
        .insert_header((header::CONTENT_ENCODING, "gzip"))
        .insert_header((header::VARY, "accept-encoding"))
        .body(body)
}

/// Middleware (`from_fn`): compresses HTML responses whose body is already
/// in memory (every rendered page).
pub async fn gzip_pages(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wanted = accepts_gzip(request.headers());
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

    fn gunzip(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut back = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut back)
            .expect("a valid gzip member");
        back
    }

    #[test]
    fn a_gapped_page_fills_every_gap_plain_and_compressed() {
        let gap = "GAP-7f3a";
        let long_filler = "t".repeat(70_000);
        let body = "<p>Lesson text that repeats, repeats, repeats.</p>".repeat(300);
        for page in [
            String::new(),
            gap.to_string(),
            format!("{gap}{gap}"),
            format!("<form><input value=\"{gap}\"></form>{body}<input value=\"{gap}\">"),
            format!("no gaps at all {body}"),
            format!("{gap}<p>starts and ends with a gap</p>{gap}"),
        ] {
            let gapped = GappedPage::new(&page, gap).unwrap();
            for filler in ["", "Xy_9-token", long_filler.as_str()] {
                let expected = page.replace(gap, filler);
                assert_eq!(gapped.fill(filler), expected);
                let compressed = gapped.fill_gzip(filler);
                assert_eq!(gunzip(&compressed), expected, "page {:.40}", page);
            }
        }
    }

    #[test]
    fn a_gapped_page_is_compressed() {
        let page = format!(
            "{}<input value=\"GAP\">{}",
            "<li>Row</li>".repeat(500),
            "<p>End</p>".repeat(100)
        );
        let compressed = GappedPage::new(&page, "GAP")
            .unwrap()
            .fill_gzip("a-csrf-token");
        assert!(
            compressed.len() < page.len() / 10,
            "{} bytes",
            compressed.len()
        );
    }
}
