//! `presto user add`: make an account from the command line (the first
//! tutor, a coordinator, or an admin on a server with no browser to hand).

use std::io::BufRead;
use std::process::ExitCode;

use super::{EXIT_ERRORS, EXIT_USAGE, ServerArgs};
use crate::config::{Overrides, Settings};
use crate::domain::names::{FullName, NewPassword, Role, Username, parse_email};
use crate::i18n;
use crate::passwords::hash_password;
use crate::store::Store;
use crate::store::users::{CreateUserError, NewAccount};

pub fn add(
    username: &str,
    role: &str,
    name: &str,
    email: Option<&str>,
    language: &str,
    server: ServerArgs,
) -> ExitCode {
    let parsed = (
        Username::parse(username),
        Role::parse(role),
        FullName::parse(name),
        parse_email(email.unwrap_or("")),
    );
    let (username, role, full_name, email) = match parsed {
        (Ok(u), Ok(r), Ok(n), Ok(e)) => (u, r, n, e),
        (u, r, n, e) => {
            for problem in [u.err(), r.err(), n.err(), e.err()].into_iter().flatten() {
                eprintln!("presto user add: {problem}");
            }
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if i18n::language(language).is_none() {
        eprintln!("presto user add: the language must be en, ar, fa or uk.");
        return ExitCode::from(EXIT_USAGE);
    }
    let mut line = String::new();
    if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
        eprintln!("presto user add: cannot read the password: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    let password = match NewPassword::parse(line.trim_end_matches(['\r', '\n'])) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("presto user add: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let overrides = Overrides {
        database_url: server.database_url,
        data: server.data,
        ..Overrides::default()
    };
    let settings = match Settings::load(&server.config, &overrides) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("presto user add: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let hash = match hash_password(password.expose()) {
        Ok(hash) => hash,
        Err(e) => {
            eprintln!("presto user add: cannot hash the password: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = tokio::runtime::Runtime::new()
        .map_err(anyhow::Error::from)
        .and_then(|rt| {
            rt.block_on(async {
                std::fs::create_dir_all(&settings.data)?;
                let store = Store::connect(&settings.database_url()).await?;
                let created = store
                    .create_user(NewAccount {
                        username: &username,
                        full_name: &full_name,
                        email: email.as_deref(),
                        role,
                        password_hash: &hash,
                        language,
                        home_language: None,
                        name_in_own_script: None,
                    })
                    .await;
                anyhow::Ok(created)
            })
        });
    match result {
        Ok(Ok(account)) => {
            println!(
                "Added {} ({}) as {}.",
                account.username, account.full_name, account.role
            );
            ExitCode::SUCCESS
        }
        Ok(Err(CreateUserError::UsernameTaken(name))) => {
            eprintln!("presto user add: the username \"{name}\" is taken.");
            ExitCode::from(EXIT_ERRORS)
        }
        Ok(Err(CreateUserError::Store(e))) => {
            eprintln!("presto user add: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("presto user add: {e:#}");
            ExitCode::FAILURE
        }
    }
}
