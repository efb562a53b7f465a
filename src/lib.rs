//! Presto: English and Skills courses for people starting work in a new
//! country. Everything lives in the library so tests build the real thing;
//! `main.rs` only parses the command line.

pub mod authoring;
pub mod backup;
pub mod catalog;
pub mod certificate;
pub mod cli;
pub mod config;
pub mod course;
pub mod domain;
pub mod i18n;
pub mod live;
pub mod mail;
pub mod passwords;
pub mod proxies;
pub mod reports;
pub mod service;
pub mod startup;
pub mod store;
pub mod web;
