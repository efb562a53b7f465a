//! Request bodies must keep coming. actix-web times out reading a
//! request's headers but not its body, so a client that announces a body
//! and then stalls (or sends a byte now and then) held its connection, and
//! a worker's attention, for as long as it liked.
//!
//! Every body gets `body_timeout_secs` (15 s by default) plus one second
//! for each [`MIN_BYTES_PER_SEC`] it has sent so far. A form or a quiz
//! answer (a few KB) must arrive within the first window; a 50 MB course
//! zip on a slow line may take longer, as long as it keeps moving. When the
//! time is up the request is answered `408 Request Timeout` and the
//! connection is closed.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage, HttpResponse};
use futures_util::Stream;
use tokio::time::{Instant, Sleep};

use super::State;

/// The slowest average a body may arrive at once its first window is over:
/// about 128 kbit/s, slower than a phone on 3G sends.
pub const MIN_BYTES_PER_SEC: u64 = 16 * 1024;

/// Middleware (`from_fn`): gives the request's body its time limit, and
/// answers 408 when the handler saw the body run out of time.
pub async fn limit_body_time(
    mut request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let window = request
        .app_data::<State>()
        .map_or(Duration::from_secs(15), |state| {
            Duration::from_secs(state.settings.body_timeout_secs)
        });
    if !has_body(&request) {
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let timed_out = Arc::new(AtomicBool::new(false));
    let payload = TimedPayload {
        inner: request.take_payload(),
        deadline: Box::pin(tokio::time::sleep(window)),
        timed_out: timed_out.clone(),
    };
    request.set_payload(Payload::from(
        Box::pin(payload) as Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>
    ));
    let response = next.call(request).await?;
    if !timed_out.load(Ordering::Relaxed) {
        return Ok(response.map_into_left_body());
    }
    tracing::info!("request body too slow: answered 408");
    let (request, _) = response.into_parts();
    let timeout = HttpResponse::RequestTimeout()
        .force_close()
        .content_type("text/plain; charset=utf-8")
        .body("The request took too long to arrive. Check your connection and try again.");
    Ok(ServiceResponse::new(request, timeout).map_into_right_body())
}

/// Whether the request announces a body (a length above 0, or chunks).
fn has_body(request: &ServiceRequest) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|length| length > 0)
}

/// The request body, ended with an error once its deadline passes. Each
/// piece that arrives moves the deadline on by its share of
/// [`MIN_BYTES_PER_SEC`].
struct TimedPayload {
    inner: Payload,
    deadline: Pin<Box<Sleep>>,
    timed_out: Arc<AtomicBool>,
}

impl Stream for TimedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.timed_out.load(Ordering::Relaxed) {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                let earned = Duration::from_secs_f64(bytes.len() as f64 / MIN_BYTES_PER_SEC as f64);
                let later: Instant = this.deadline.deadline() + earned;
                this.deadline.as_mut().reset(later);
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.timed_out.store(true, Ordering::Relaxed);
                    Poll::Ready(Some(Err(PayloadError::Io(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the request body stopped coming",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}
