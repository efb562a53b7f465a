//! A service's [`Download`] sent as an attachment, the same for pages and
//! the API: never cached, saved under its file name. A streamed file that
//! the database stops part way ends short (the status is sent by then),
//! and the cause is logged.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use futures_util::StreamExt;

use crate::service::reports::{Download, DownloadBody};

pub fn attachment(download: Download) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(download.content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", download.file_name),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"));
    match download.body {
        DownloadBody::Whole(bytes) => response.body(bytes),
        DownloadBody::Chunks(chunks) => response.streaming(chunks.map(|chunk| {
            chunk.map(Bytes::from).map_err(|e| {
                tracing::error!(
                    error = format!("{:#}", anyhow::Error::new(e)),
                    "export stopped"
                );
                actix_web::error::ErrorInternalServerError("export stopped")
            })
        })),
    }
}
