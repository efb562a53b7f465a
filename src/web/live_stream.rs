//! A live class's event stream (Server-Sent Events), for the API (bearer
//! token) and for pages (the session cookie) alike.
//!
//! A stream first subscribes to the class's events on this instance, then
//! sends what the client lacks: the events after its `Last-Event-ID` if
//! they are still kept, else the whole state. From then on it forwards the
//! class's events, each as its viewer may see it, and a comment line every
//! [`HEARTBEAT`] so that proxies keep it open. It ends with the class (after
//! `end`) or when its learner leaves the class, and at once when the
//! server shuts down ([`LiveStreams::close_all`]): its client reconnects
//! with `Last-Event-ID`, to another instance or to this one restarted,
//! instead of holding the shutdown up until its time runs out.
//!
//! One account may have [`MAX_STREAMS_PER_CLASS`] streams of one class
//! open on an instance (a tutor's second tab, a learner's second phone);
//! one more is refused with 429.
//!
//! [`HEARTBEAT`]: crate::config::Settings::live_heartbeat_secs

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{Notify, watch};
use tokio::time::{Instant, Interval, MissedTickBehavior, interval_at};

use super::State;
use crate::live::{EventKind, LiveEvent, parse_event_id};
use crate::service::live::{self, Part};
use crate::service::{ServiceError, ServiceResult};
use crate::store::classes::Class;
use crate::store::users::Account;

/// At most this long passes without a line: the API promises 20 s.
pub const MAX_HEARTBEAT: Duration = Duration::from_secs(20);

/// How many streams of one class one account may have open on an instance.
pub const MAX_STREAMS_PER_CLASS: usize = 5;

/// The instance's open event streams: how many each account has open per
/// class, and the signal that ends them all when the server shuts down.
pub struct LiveStreams {
    open: Mutex<HashMap<(i32, i32), Open>>,
    closing: watch::Sender<bool>,
}

/// One account's open streams of one class.
struct Open {
    count: usize,
    /// Makes each of them send a line at once (see [`LiveStreams::admit`]).
    probe: Arc<Notify>,
}

impl Default for LiveStreams {
    fn default() -> Self {
        LiveStreams {
            open: Mutex::default(),
            closing: watch::channel(false).0,
        }
    }
}

/// How long a probe of an account's streams waits for a write to fail.
const PROBE_WAIT: Duration = Duration::from_millis(100);

impl LiveStreams {
    /// Ends every open stream (after what it has in hand) and every one
    /// opened from now on: the server is shutting down.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// A place for one more stream of `class_id` for `user_id`, or None
    /// when they have [`MAX_STREAMS_PER_CLASS`] open already. The place is
    /// given back when the stream ends (its client went, or it closed).
    ///
    /// A stream whose client has gone (a page reloaded, a phone switched
    /// off) is seen gone only when writing to it fails, which can take a
    /// heartbeat or two. So before refusing, each of the account's streams
    /// writes a line twice (the first write to a closed connection still
    /// goes out; the second fails), and those gone give their place back.
    async fn admit(self: &Arc<Self>, class_id: i32, user_id: i32) -> Option<StreamPlace> {
        let key = (class_id, user_id);
        for _ in 0..2 {
            match self.try_admit(key) {
                Ok(place) => return Some(place),
                Err(probe) => {
                    probe.notify_waiters();
                    tokio::time::sleep(PROBE_WAIT).await;
                }
            }
        }
        self.try_admit(key).ok()
    }

    /// A place, or the probe of the streams that fill them.
    fn try_admit(self: &Arc<Self>, key: (i32, i32)) -> Result<StreamPlace, Arc<Notify>> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = open.entry(key).or_insert_with(|| Open {
            count: 0,
            probe: Arc::new(Notify::new()),
        });
        if entry.count >= MAX_STREAMS_PER_CLASS {
            return Err(entry.probe.clone());
        }
        entry.count += 1;
        Ok(StreamPlace {
            streams: Arc::clone(self),
            key,
            probe: entry.probe.clone(),
        })
    }
}

/// One open stream's place in [`LiveStreams`]; given back when dropped.
struct StreamPlace {
    streams: Arc<LiveStreams>,
    key: (i32, i32),
    probe: Arc<Notify>,
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = self
            .streams
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = open.get_mut(&self.key) {
            entry.count = entry.count.saturating_sub(1);
            if entry.count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

fn too_many_streams() -> HttpResponse {
    HttpResponse::TooManyRequests().json(serde_json::json!({
        "error": "too_many_requests",
        "message": format!(
            "You have {MAX_STREAMS_PER_CLASS} live streams of this class open already. \
             Close one (a tab, an app) and try again."
        ),
    }))
}

/// The heartbeat the settings ask for, within 1 s and [`MAX_HEARTBEAT`].
fn heartbeat_every(seconds: u64) -> Duration {
    Duration::from_secs(seconds).clamp(Duration::from_secs(1), MAX_HEARTBEAT)
}

/// Opens the class's event stream for `account`: 403 for who may not, 404
/// when the class is not live. A learner opening it has joined the class.
pub async fn open(
    state: State,
    account: Account,
    class_id: i32,
    last_event_id: Option<&str>,
) -> ServiceResult<HttpResponse> {
    let ctx = state.service();
    let (class, part, live) = live::open(ctx, &account, class_id).await?;
    let Some(place) = state.live_streams.admit(class.id, account.id).await else {
        return Ok(too_many_streams());
    };
    let subscription = state
        .store
        .live_bus()
        .subscribe(class.id)
        .await
        .map_err(|e| ServiceError::Store(crate::store::StoreError::Corrupt(e.to_string())))?;
    let mut stream = LiveStream {
        state: state.clone(),
        account,
        class,
        part,
        session_id: live.session_id,
        last_seq: 0,
        receiver: subscription.receiver,
        heartbeat: heartbeat(heartbeat_every(state.settings.live_heartbeat_secs)),
        pending: VecDeque::new(),
        done: false,
        closing: state.live_streams.closing.subscribe(),
        place,
    };
    // After subscribing, so nothing committed from now on is missed; what
    // is sent twice is dropped by its number.
    let resumed = match last_event_id.and_then(parse_event_id) {
        Some((session, seq)) if session == live.session_id => stream.replay_after(seq).await?,
        _ => false,
    };
    if !resumed {
        stream.fresh_state().await?;
    }
    let body = futures_util::stream::unfold(stream, |mut stream| async move {
        stream
            .next_chunk()
            .await
            .map(|bytes| (Ok::<_, Infallible>(bytes), stream))
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache, no-store"))
        // Neither `Compress` nor a proxy should hold events back.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}

fn heartbeat(period: Duration) -> Interval {
    let mut every = interval_at(Instant::now() + period, period);
    every.set_missed_tick_behavior(MissedTickBehavior::Delay);
    every
}

struct LiveStream {
    state: State,
    account: Account,
    class: Class,
    part: Part,
    session_id: i32,
    /// The last numbered event sent.
    last_seq: i64,
    receiver: tokio::sync::broadcast::Receiver<Arc<LiveEvent>>,
    heartbeat: Interval,
    pending: VecDeque<Bytes>,
    done: bool,
    /// True once the server shuts down.
    closing: watch::Receiver<bool>,
    place: StreamPlace,
}

impl LiveStream {
    /// The next bytes to send, or None when the stream is over.
    async fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            if let Some(chunk) = self.pending.pop_front() {
                return Some(chunk);
            }
            if self.done {
                return None;
            }
            if *self.closing.borrow_and_update() {
                // The server is going: the client comes back soon (to
                // another instance, or this one restarted) and goes on
                // from its last event.
                self.pending
                    .push_back(Bytes::from_static(b": shutting down\nretry: 1000\n\n"));
                self.done = true;
                continue;
            }
            tokio::select! {
                received = self.receiver.recv() => match received {
                    Ok(event) => self.forward(&event).await,
                    // Fallen behind: what was missed is in a fresh state.
                    Err(RecvError::Lagged(_)) => self.refresh().await,
                    Err(RecvError::Closed) => self.done = true,
                },
                _ = self.heartbeat.tick() => {
                    self.pending.push_back(Bytes::from_static(b": still here\n\n"));
                }
                // Another stream of the account is refused unless one of
                // these turns out gone: a line now tells.
                _ = self.place.probe.notified() => {
                    self.pending.push_back(Bytes::from_static(b": still here\n\n"));
                }
                changed = self.closing.changed() => {
                    if changed.is_err() {
                        self.done = true;
                    }
                }
            }
        }
    }

    async fn refresh(&mut self) {
        if let Err(e) = self.fresh_state().await {
            tracing::warn!(error = %e, class = self.class.id, "a live stream could not be refreshed");
            self.done = true;
        }
    }

    async fn forward(&mut self, event: &LiveEvent) {
        match event.kind {
            EventKind::Resync => return self.refresh().await,
            EventKind::Removed => {
                let whose = event.data.get("user_id").and_then(Value::as_i64);
                if self.part == Part::Learner && whose == Some(self.account.id.into()) {
                    self.done = true;
                }
                return;
            }
            _ => {}
        }
        if event.session_id != self.session_id {
            return;
        }
        if let Some(seq) = event.seq {
            if seq <= self.last_seq {
                return;
            }
            self.last_seq = seq;
        }
        let data = if self.part == Part::Learner {
            event.for_learner(self.account.id)
        } else {
            event.for_staff().cloned()
        };
        if let Some(data) = data {
            self.push(event.wire_id().as_deref(), event.kind.as_str(), &data);
        }
        if event.kind == EventKind::End {
            self.done = true;
        }
    }

    /// Sends the kept events after `seq`; false when they are gone (and a
    /// fresh state is needed instead).
    async fn replay_after(&mut self, seq: i64) -> ServiceResult<bool> {
        let ctx = self.state.service();
        let missed = ctx
            .store
            .live_events_after(self.class.id, self.session_id, seq)
            .await?;
        let contiguous = missed.first().is_none_or(|e| e.seq == Some(seq + 1));
        if !contiguous {
            return Ok(false);
        }
        self.last_seq = seq;
        for event in &missed {
            self.forward(event).await;
        }
        Ok(true)
    }

    /// Sends the whole state as `state`; when the class is no longer live,
    /// `end` and the stream closes.
    async fn fresh_state(&mut self) -> ServiceResult<()> {
        let ctx = self.state.service();
        let Some(live) = ctx.store.live_class(self.class.id).await? else {
            self.push(None, EventKind::End.as_str(), &serde_json::json!({}));
            self.done = true;
            return Ok(());
        };
        if live.session_id != self.session_id {
            // Ended and started again meanwhile: this stream's class is over.
            self.push(None, EventKind::End.as_str(), &serde_json::json!({}));
            self.done = true;
            return Ok(());
        }
        let now = live::state_of(ctx, &self.account, self.class.clone(), self.part, live).await?;
        self.last_seq = self.last_seq.max(now.last_seq);
        let id = format!("{}-{}", now.session_id, now.last_seq);
        let data = serde_json::to_value(&now).unwrap_or(Value::Null);
        self.push(Some(&id), "state", &data);
        Ok(())
    }

    fn push(&mut self, id: Option<&str>, event: &str, data: &Value) {
        self.pending.push_back(Bytes::from(frame(id, event, data)));
    }
}

/// One SSE event: `id:` (if any), `event:` and one `data:` line of JSON
/// (serde_json never writes a raw line break).
pub fn frame(id: Option<&str>, event: &str, data: &Value) -> String {
    let mut text = String::with_capacity(64);
    if let Some(id) = id {
        text.push_str("id: ");
        text.push_str(id);
        text.push('\n');
    }
    text.push_str("event: ");
    text.push_str(event);
    text.push_str("\ndata: ");
    text.push_str(&data.to_string());
    text.push_str("\n\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heartbeat_stays_within_what_the_api_promises() {
        assert_eq!(heartbeat_every(15), Duration::from_secs(15));
        assert_eq!(heartbeat_every(600), MAX_HEARTBEAT);
        assert_eq!(heartbeat_every(0), Duration::from_secs(1));
    }

    #[test]
    fn a_frame_is_one_data_line_even_for_text_with_line_breaks() {
        let framed = frame(
            Some("3-7"),
            "question",
            &serde_json::json!({"text": "Two\nlines"}),
        );
        assert_eq!(
            framed,
            "id: 3-7\nevent: question\ndata: {\"text\":\"Two\\nlines\"}\n\n"
        );
    }
}
