//! `presto backup` and `presto restore`: a site's database, keys and
//! courses in one file, and back (see `crate::backup` for what is in it).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{EXIT_ERRORS, EXIT_USAGE, ServerArgs};
use crate::backup::restore::RestoreError;
use crate::backup::{self, BackupError, RestoreTarget, Sources, sqlite};
use crate::config::{Overrides, Settings, redact_password};

fn load_settings(
    command: &str,
    server: ServerArgs,
    courses: Option<PathBuf>,
) -> Result<Settings, ExitCode> {
    let overrides = Overrides {
        courses,
        database_url: server.database_url,
        data: server.data,
        ..Overrides::default()
    };
    Settings::load(&server.config, &overrides).map_err(|e| {
        eprintln!("presto {command}: {e}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn start_runtime(command: &str) -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("presto {command}: cannot start: {e}");
            ExitCode::FAILURE
        })
}

/// What to leave out of a backup.
pub struct Leave {
    pub courses: bool,
    pub database: bool,
}

pub fn run_backup(
    out: &Path,
    courses: Option<PathBuf>,
    leave: Leave,
    server: ServerArgs,
) -> ExitCode {
    let settings = match load_settings("backup", server, courses) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    let url = settings.database_url();
    let database_file = sqlite::database_file(&url);
    if database_file.is_none() && !leave.database {
        eprintln!(
            "presto backup: the database is PostgreSQL, which this command does not copy. \
             Back it up with pg_dump:\n\n    \
             pg_dump --format=custom --file presto.dump '{}'\n\n\
             and keep the keys and files (session key, certificate keys, outbox, courses) with:\n\n    \
             presto backup --keys-only --out presto-keys.tar\n\n\
             The README's \"Backups\" section says how to restore both.",
            redact_password(&url)
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let runtime = match start_runtime("backup") {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let made = runtime.block_on(async {
        let db = match (&database_file, leave.database) {
            (Some(file), false) => Some(sqlite::open_existing(file).await?),
            _ => None,
        };
        let made = backup::make(
            Sources {
                database: db.as_ref(),
                data: &settings.data,
                courses: (!leave.courses).then_some(settings.courses.as_path()),
            },
            out,
        )
        .await;
        if let Some(db) = db {
            let _ = db.close().await;
        }
        made
    });
    match made {
        Ok(made) => {
            let mut parts = Vec::new();
            if made.manifest.database {
                parts.push(format!(
                    "the database as of {}",
                    made.manifest.made_at.format("%Y-%m-%d %H:%M:%S UTC")
                ));
            }
            parts.push("the keys and the outbox of the data folder".to_string());
            if made.manifest.courses {
                parts.push(format!(
                    "the courses folder ({})",
                    settings.courses.display()
                ));
            }
            println!(
                "Backed up {} into {} ({} files, {:.1} MB). It holds personal data and the \
                 site's keys: keep it private.",
                parts.join(", "),
                made.path.display(),
                made.files,
                made.bytes as f64 / 1e6
            );
            ExitCode::SUCCESS
        }
        Err(e @ BackupError::Exists(_)) => {
            eprintln!("presto backup: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("presto backup: {e}");
            ExitCode::from(EXIT_ERRORS)
        }
    }
}

pub fn run_restore(
    file: &Path,
    courses: Option<PathBuf>,
    force: bool,
    server: ServerArgs,
) -> ExitCode {
    let settings = match load_settings("restore", server, courses) {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    if !file.is_file() {
        eprintln!("presto restore: there is no file {}", file.display());
        return ExitCode::from(EXIT_USAGE);
    }
    let target = RestoreTarget {
        data: settings.data.clone(),
        database: sqlite::database_file(&settings.database_url()),
        courses: settings.courses.clone(),
    };
    let runtime = match start_runtime("restore") {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    match runtime.block_on(backup::restore(file, &target, force)) {
        Ok(restored) => {
            let manifest = &restored.manifest;
            println!(
                "Restored the backup made {} by Presto {} into {}{}.",
                manifest.made_at.format("%Y-%m-%d %H:%M:%S UTC"),
                manifest.presto_version,
                target.data.display(),
                if manifest.courses {
                    format!(" and {}", target.courses.display())
                } else {
                    String::new()
                }
            );
            for (before, aside) in &restored.moved_aside {
                println!(
                    "What was at {} is now at {}.",
                    before.display(),
                    aside.display()
                );
            }
            if !manifest.database {
                println!("It holds no database: restore that with pg_restore (README, Backups).");
            }
            if manifest.presto_version != env!("CARGO_PKG_VERSION") {
                println!(
                    "This is Presto {}: an older backup's database is brought up to date when \
                     the server starts; a newer one needs the Presto that made it.",
                    env!("CARGO_PKG_VERSION")
                );
            }
            println!("Start the server with presto serve.");
            ExitCode::SUCCESS
        }
        Err(e @ RestoreError::Backup(BackupError::NotABackup(..))) => {
            eprintln!("presto restore: {e}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("presto restore: {e}");
            ExitCode::from(EXIT_ERRORS)
        }
    }
}
