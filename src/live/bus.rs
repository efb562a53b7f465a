//! Hands live events to the streams open on this instance.
//!
//! Each class with an open stream has a broadcast channel here; a stream
//! holds a receiver. On SQLite the store delivers an event straight after
//! its commit. On PostgreSQL the store sends it with `pg_notify` inside the
//! transaction (PostgreSQL delivers it only if the transaction commits),
//! and one listening connection per instance, opened with the first
//! stream, delivers what every instance sent, its own included.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sea_orm::sqlx::PgPool;
use sea_orm::sqlx::postgres::PgListener;
use serde::{Deserialize, Serialize};
use tokio::sync::{OnceCell, broadcast};

use super::event::{EventKind, LiveEvent};

/// The PostgreSQL channel the instances share.
pub const CHANNEL: &str = "presto_live";

/// PostgreSQL refuses a notification payload of 8000 bytes or more; a
/// bigger event (a reveal to a very large class) is read from its row.
const NOTIFY_LIMIT: usize = 7900;

/// How many events a slow stream may fall behind before it is sent a
/// fresh state instead.
const BACKLOG: usize = 64;

/// What one instance tells the others.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub enum Notice {
    Event(Box<LiveEvent>),
    /// Too big to send: read `live_events` at (class, seq).
    Stored {
        class_id: i32,
        seq: i64,
    },
}

impl Notice {
    /// The payload for `pg_notify`.
    pub fn payload(event: &LiveEvent) -> String {
        let whole = serde_json::to_string(&Notice::Event(Box::new(event.clone())));
        match (whole, event.seq) {
            (Ok(text), _) if text.len() < NOTIFY_LIMIT => text,
            (_, Some(seq)) => {
                serde_json::json!({"class_id": event.class_id, "seq": seq}).to_string()
            }
            // A passing event is always small (a tally has at most six
            // counts); should one not be, it is dropped, not sent broken.
            (_, None) => String::new(),
        }
    }
}

pub struct Bus {
    classes: Mutex<HashMap<i32, broadcast::Sender<Arc<LiveEvent>>>>,
    postgres: Option<PgPool>,
    listening: OnceCell<()>,
}

/// One stream's place on a class's channel.
pub struct Subscription {
    pub receiver: broadcast::Receiver<Arc<LiveEvent>>,
}

impl Bus {
    /// One process: events go from the store to the streams in memory.
    pub fn in_memory() -> Bus {
        Bus {
            classes: Mutex::default(),
            postgres: None,
            listening: OnceCell::new(),
        }
    }

    /// Many instances: events come back through `LISTEN`.
    pub fn postgres(pool: PgPool) -> Bus {
        Bus {
            postgres: Some(pool),
            ..Bus::in_memory()
        }
    }

    /// What `pg_notify` sends for the event (empty: nothing to send).
    pub fn notice_payload(event: &LiveEvent) -> String {
        Notice::payload(event)
    }

    /// Whether the store must send events with `pg_notify` (and not
    /// deliver them itself).
    pub fn notifies(&self) -> bool {
        self.postgres.is_some()
    }

    /// Starts receiving the class's events. On PostgreSQL the instance is
    /// listening before this returns, so nothing committed afterwards is
    /// missed.
    pub async fn subscribe(self: &Arc<Self>, class_id: i32) -> std::io::Result<Subscription> {
        if let Some(pool) = &self.postgres {
            let bus = Arc::clone(self);
            let pool = pool.clone();
            self.listening
                .get_or_try_init(|| async move {
                    let mut listener = PgListener::connect_with(&pool)
                        .await
                        .map_err(std::io::Error::other)?;
                    listener
                        .listen(CHANNEL)
                        .await
                        .map_err(std::io::Error::other)?;
                    tokio::spawn(listen(bus, listener, pool));
                    Ok::<(), std::io::Error>(())
                })
                .await?;
        }
        let mut classes = self.classes.lock().unwrap_or_else(PoisonError::into_inner);
        let sender = classes
            .entry(class_id)
            .or_insert_with(|| broadcast::channel(BACKLOG).0);
        Ok(Subscription {
            receiver: sender.subscribe(),
        })
    }

    /// Hands an event to this instance's streams of its class.
    pub fn deliver(&self, event: Arc<LiveEvent>) {
        let mut classes = self.classes.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = classes.get(&event.class_id) {
            if sender.receiver_count() == 0 {
                // Every stream of the class has closed.
                classes.remove(&event.class_id);
            } else {
                let _ = sender.send(event);
            }
        }
    }

    /// How many classes have a channel here (for tests and the benchmark).
    pub fn open_classes(&self) -> usize {
        self.classes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn resync_all(&self) {
        let classes: Vec<i32> = self
            .classes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .copied()
            .collect();
        for class_id in classes {
            self.deliver(Arc::new(LiveEvent::new(
                class_id,
                0,
                EventKind::Resync,
                serde_json::Value::Null,
            )));
        }
    }
}

/// The instance's listening connection: delivers every notification to the
/// streams here. When the connection drops (PostgreSQL restarted), sqlx
/// connects again on the next receive; what was sent meanwhile is lost, so
/// every stream is told to send a fresh state.
async fn listen(bus: Arc<Bus>, mut listener: PgListener, pool: PgPool) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match serde_json::from_str(notification.payload()) {
                Ok(Notice::Event(event)) => bus.deliver(Arc::from(event)),
                Ok(Notice::Stored { class_id, seq }) => match stored(&pool, class_id, seq).await {
                    Some(event) => bus.deliver(Arc::new(event)),
                    None => bus.resync_all(),
                },
                Err(e) => tracing::warn!(error = %e, "a live notification could not be read"),
            },
            Ok(None) => {
                tracing::warn!("the live events connection dropped; reconnecting");
                bus.resync_all();
            }
            Err(e) => {
                tracing::warn!(error = %e, "live events: cannot listen; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn stored(pool: &PgPool, class_id: i32, seq: i64) -> Option<LiveEvent> {
    let row: Option<(String,)> =
        sea_orm::sqlx::query_as("SELECT event FROM live_events WHERE class_id = $1 AND seq = $2")
            .bind(class_id)
            .bind(seq)
            .fetch_optional(pool)
            .await
            .ok()?;
    serde_json::from_str(&row?.0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn an_event_reaches_every_stream_of_its_class_and_no_other() {
        let bus = Arc::new(Bus::in_memory());
        let mut first = bus.subscribe(1).await.unwrap();
        let mut second = bus.subscribe(1).await.unwrap();
        let mut other = bus.subscribe(2).await.unwrap();
        bus.deliver(Arc::new(LiveEvent::new(1, 3, EventKind::Hand, json!({}))));
        assert_eq!(first.receiver.recv().await.unwrap().kind, EventKind::Hand);
        assert_eq!(second.receiver.recv().await.unwrap().kind, EventKind::Hand);
        assert!(other.receiver.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_class_whose_streams_all_closed_is_forgotten() {
        let bus = Arc::new(Bus::in_memory());
        drop(bus.subscribe(1).await.unwrap());
        assert_eq!(bus.open_classes(), 1);
        bus.deliver(Arc::new(LiveEvent::new(1, 3, EventKind::Hand, json!({}))));
        assert_eq!(bus.open_classes(), 0);
    }

    #[test]
    fn a_big_event_is_sent_as_its_place() {
        let mut event = LiveEvent::new(1, 3, EventKind::Reveal, json!({"question_id": 1}));
        event.seq = Some(9);
        for user in 0..2000 {
            event
                .personal
                .insert(user, json!({"answer": 1, "right": true}));
        }
        let payload = Notice::payload(&event);
        assert!(payload.len() < NOTIFY_LIMIT);
        assert!(matches!(
            serde_json::from_str(&payload).unwrap(),
            Notice::Stored {
                class_id: 1,
                seq: 9
            }
        ));
        let small = LiveEvent::new(1, 3, EventKind::Hand, json!({"up": true}));
        assert!(matches!(
            serde_json::from_str(&Notice::payload(&small)).unwrap(),
            Notice::Event(_)
        ));
    }
}
