//! `presto certificate-key rotate`: start signing certificates with a new
//! key, for when the old one may have leaked or by routine. The old key
//! stays in `{data}/certificate-keys/` and in the DID document, so every
//! certificate issued before still verifies.

use std::process::ExitCode;

use super::{EXIT_ERRORS, EXIT_USAGE, ServerArgs};
use crate::certificate::KeyRing;
use crate::certificate::keyring::KEY_FOLDER;
use crate::config::{Overrides, Settings};

pub fn rotate(server: ServerArgs) -> ExitCode {
    let overrides = Overrides {
        data: server.data,
        ..Overrides::default()
    };
    let settings = match Settings::load(&server.config, &overrides) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("presto certificate-key rotate: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if !settings.certificate_key.trim().is_empty() {
        eprintln!(
            "presto certificate-key rotate: the keys come from the certificate_key setting; \
             add a new key at the end of that setting instead."
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let folder = settings.data.join(KEY_FOLDER);
    let now = chrono::Utc::now();
    let outcome = KeyRing::open_or_create(&folder, now)
        .and_then(|mut ring| ring.rotate(&folder, now).map(|key| key.id().to_string()));
    match outcome {
        Ok(id) => {
            println!(
                "New certificates will be signed with {id} (in {}). Restart the server to use it; \
                 certificates signed before still verify.",
                folder.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("presto certificate-key rotate: {e}");
            ExitCode::from(EXIT_ERRORS)
        }
    }
}
