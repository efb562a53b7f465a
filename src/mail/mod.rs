//! Email. Every mail is a row in the queue (`store::mail`) first, written
//! in the same transaction as whatever causes it; the worker here sends it
//! through the transport the settings name (SMTP, or `.eml` files in the
//! outbox folder) and retries with backoff until it goes. An SMTP outage
//! or a restart loses nothing: the row waits.
//!
//! Delivery is at least once, not exactly once. The worker claims a mail
//! for a lease, sends it, then records `sent_at`. If the process dies after
//! the mail server accepted the mail but before `sent_at` is written, the
//! lease runs out and a worker (here after a restart, or another instance)
//! sends it again. The copy carries the same `Message-ID` (made from the
//! queue row, see `compose`), so mail programs and servers that drop
//! duplicates do, and a person can see it is the same mail. Losing a
//! certificate or a reset link would be worse than receiving it twice.

pub mod compose;
pub mod templates;
pub mod transport;
pub mod worker;

pub use worker::{MailWorker, RetryPolicy};
