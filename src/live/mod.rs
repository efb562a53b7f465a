//! Live classes' events: what happened in a live class, and how it reaches
//! every open stream of that class.
//!
//! An event is written to the database in the transaction of the change it
//! tells of (`store::live`), numbered per class. The [`Bus`] hands it to
//! the event streams open on this instance: on SQLite straight after the
//! commit (one process serves the database), on PostgreSQL through
//! `LISTEN/NOTIFY`, so a tutor on one instance reaches learners on another.
//! Nothing polls the database per client.

mod bus;
mod event;

pub use bus::{Bus, CHANNEL, Subscription};
pub use event::{Audience, EventKind, LiveEvent, parse_event_id};
