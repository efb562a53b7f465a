//! Presto: English and Skills courses for people starting work in a new
//! country. Everything lives in the library so tests build the real thing;
//! `main.rs` only parses the command line.

pub mod cli;
pub mod course;
