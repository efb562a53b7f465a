//! Pure rules of the platform: grading, progress and completion. No
//! database, no web: tested on their own, called by the store and handlers.

pub mod authorship;
pub mod certificate_id;
pub mod class;
pub mod class_progress;
pub mod grading;
pub mod home_language;
pub mod join_code;
pub mod names;
pub mod needs_help;
pub mod progress;
pub mod revocation;
pub mod roster;
pub mod roster_file;
pub mod sessions;
