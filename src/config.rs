//! Typed settings. Each setting has a default that runs out of the box, and
//! is overridden in this order: defaults < `presto.toml` < environment
//! (`PRESTO_*`) < command-line flag.
//!
//! Secrets (the session key, passwords in the database and mail URLs) are
//! never logged: `Settings` has a hand-written `Debug` that leaves them out.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::sessions::SessionLimits;
use crate::proxies::TrustedProxies;

/// Where live sessions happen unless the settings say otherwise.
pub const DEFAULT_TIMEZONE: &str = "Europe/London";

/// Where `presto.toml` is looked for unless `--config` says otherwise.
pub const DEFAULT_CONFIG_FILE: &str = "presto.toml";

/// The longest interval between automatic backups: a year, in hours.
pub const MAX_BACKUP_EVERY_HOURS: u64 = 365 * 24;

/// The longest session limit the settings accept: ten years, in hours.
pub const MAX_SESSION_HOURS: u64 = 10 * 366 * 24;

#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address and port to listen on.
    pub addr: SocketAddr,
    /// `sqlite://...` or `postgres://...`; empty means `sqlite://{data}/presto.db`.
    pub database_url: String,
    /// The folder of courses compiled and published at start-up.
    pub courses: PathBuf,
    /// The folder for the SQLite database, keys and the mail outbox.
    pub data: PathBuf,
    /// The address learners and employers reach the site at, used in links
    /// printed to the log, in mails and on certificates. Empty: `http://{addr}`.
    pub public_url: String,
    /// 64 random bytes, base64, that sign and encrypt session cookies. Give
    /// every instance behind a load balancer the same key. Empty: generated
    /// once into `{data}/session.key`.
    pub session_key: String,
    /// The keys that sign certificates, when given here rather than kept in
    /// `{data}/certificate-keys/`: secret Multikeys (`z3u2...`), each
    /// optionally named (`key-2:z3u2...`), separated by commas or spaces,
    /// oldest first. The last one signs; the others still verify old
    /// certificates. Empty: a key is generated once into the data folder.
    pub certificate_key: String,
    /// The time zone live class sessions are scheduled and shown in (IANA
    /// name, e.g. `Europe/London`).
    pub timezone: String,
    /// Mark cookies `Secure` (HTTPS only). On by default when `public_url`
    /// starts with `https://`.
    pub secure_cookies: Option<bool>,
    /// The issuing organisation named on certificates.
    pub organisation: String,
    /// Watch the courses folder and publish what changes in it while the
    /// server runs. Off for read-only deployments.
    pub watch_courses: bool,
    /// The largest course zip a tutor may upload, in MB. Unpacked, a course
    /// may be four times as large.
    pub upload_limit_mb: u64,
    /// How often, in seconds, each instance looks in the database for
    /// courses another instance has published (at least 1).
    pub catalog_refresh_secs: u64,
    /// How many previous versions of each course are kept (in
    /// `{courses}/.presto-versions/`) when a new one replaces it, for an
    /// admin to restore.
    pub course_versions_kept: usize,
    /// How long, in seconds, a signed-in session trusts its copy of the
    /// account before reading it again: a changed role or name reaches
    /// every session within this time. (Signing out, a new password and
    /// erasure end sessions at once: each request checks its session.)
    pub account_refresh_secs: u64,
    /// A signed-in session not used for this many hours ends (checked on
    /// the server). A week by default: phones are often shared.
    pub session_idle_hours: u64,
    /// A signed-in session ends this many hours after signing in, however
    /// much it is used (checked on the server; the cookie expires then too).
    pub session_max_hours: u64,
    /// Where mail goes. Empty: `.eml` files in `{data}/outbox/`, so mail
    /// works offline. Otherwise an SMTP URL: `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://user:pass@host` (TLS from the start), or plain
    /// `smtp://127.0.0.1:2525` for a relay on the same machine.
    pub mail_url: String,
    /// The sender of every mail: `Name <address>`.
    pub mail_from: String,
    /// The wait after the first failed try to send a mail; it doubles
    /// after each failure (with some randomness) up to `mail_retry_max_secs`.
    pub mail_retry_secs: u64,
    pub mail_retry_max_secs: u64,
    /// Tries before a mail is given up (kept in the queue, marked failed).
    pub mail_max_attempts: u32,
    /// Seconds a request body may take to arrive (a form, a quiz answer),
    /// plus one second for each 16 KB it has sent, so a large upload on a
    /// slow line may take longer while it keeps moving. A body that stalls
    /// gets 408 and its connection is closed.
    pub body_timeout_secs: u64,
    /// The reverse proxies in front of the server (addresses and CIDR
    /// ranges). Only for requests from these is the client's address read
    /// from `X-Forwarded-For` or `Forwarded`. Empty: the headers are ignored.
    pub trusted_proxies: TrustedProxies,
    /// A learner who joins a live class more than this many minutes after
    /// it started is marked late on the register.
    pub live_late_after_minutes: u32,
    /// Seconds between the comment lines that keep a live class's event
    /// stream open through proxies; 1 to 20 (the API promises at most 20).
    pub live_heartbeat_secs: u64,
    /// Make a backup into `{data}/backups/` this often, in hours (SQLite
    /// only; 1 to 8760). 0: no automatic backups.
    pub backup_every_hours: u64,
    /// How many automatic backups are kept; older ones are removed.
    pub backup_keep: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: String::new(),
            courses: PathBuf::from("courses"),
            data: PathBuf::from("data"),
            public_url: String::new(),
            session_key: String::new(),
            certificate_key: String::new(),
            timezone: DEFAULT_TIMEZONE.to_string(),
            secure_cookies: None,
            organisation: crate::store::DEFAULT_ORGANISATION.to_string(),
            watch_courses: true,
            live_late_after_minutes: 10,
            live_heartbeat_secs: 15,
            upload_limit_mb: 50,
            catalog_refresh_secs: 10,
            course_versions_kept: 5,
            account_refresh_secs: 60,
            session_idle_hours: 7 * 24,
            session_max_hours: 30 * 24,
            mail_url: String::new(),
            mail_from: "Presto <presto@localhost>".to_string(),
            mail_retry_secs: 30,
            // Doubling from 30 seconds to an hour, then hourly: 50 tries
            // last about two days, longer than most mail server outages.
            mail_retry_max_secs: 3600,
            mail_max_attempts: 50,
            body_timeout_secs: 15,
            trusted_proxies: TrustedProxies::default(),
            backup_every_hours: 0,
            backup_keep: 7,
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("database_url", &redact_password(&self.database_url))
            .field("courses", &self.courses)
            .field("data", &self.data)
            .field("public_url", &self.public_url)
            .field("organisation", &self.organisation)
            .field("watch_courses", &self.watch_courses)
            .field("upload_limit_mb", &self.upload_limit_mb)
            .field("catalog_refresh_secs", &self.catalog_refresh_secs)
            .field("course_versions_kept", &self.course_versions_kept)
            .field("account_refresh_secs", &self.account_refresh_secs)
            .field("session_idle_hours", &self.session_idle_hours)
            .field("session_max_hours", &self.session_max_hours)
            .field("timezone", &self.timezone)
            .field("mail_url", &redact_password(&self.mail_url))
            .field("mail_from", &self.mail_from)
            .field("mail_retry_secs", &self.mail_retry_secs)
            .field("mail_retry_max_secs", &self.mail_retry_max_secs)
            .field("mail_max_attempts", &self.mail_max_attempts)
            .field("body_timeout_secs", &self.body_timeout_secs)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("live_late_after_minutes", &self.live_late_after_minutes)
            .field("live_heartbeat_secs", &self.live_heartbeat_secs)
            .field("backup_every_hours", &self.backup_every_hours)
            .field("backup_keep", &self.backup_keep)
            .field(
                "session_key",
                &if self.session_key.is_empty() {
                    ""
                } else {
                    "(set)"
                },
            )
            .field(
                "certificate_key",
                &if self.certificate_key.is_empty() {
                    ""
                } else {
                    "(set)"
                },
            )
            .finish()
    }
}

/// Overrides from command-line flags; `None` leaves the layer below alone.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub courses: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("the settings are not valid: {0}")]
pub struct SettingsError(#[from] Box<figment::Error>);

impl Settings {
    /// Reads the layers. A missing `presto.toml` is fine; a broken one is an
    /// error that names the key and the file.
    pub fn load(config_file: &Path, overrides: &Overrides) -> Result<Settings, SettingsError> {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(config_file))
            .merge(Env::prefixed("PRESTO_"))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| SettingsError(Box::new(e)))
    }

    /// The database URL, with the SQLite default filled in.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data.join("presto.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }

    /// The public address without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.addr)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    /// The time zone for class sessions; a name chrono-tz does not know is
    /// refused at start-up by [`Settings::check`].
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::Europe::London)
    }

    /// Settings that parse but cannot work, in words.
    pub fn check(&self) -> Result<(), String> {
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!(
                "timezone {:?} is not a time zone name like Europe/London",
                self.timezone
            ));
        }
        if self.body_timeout_secs == 0 {
            return Err("body_timeout_secs must be at least 1".to_string());
        }
        for (name, hours) in [
            ("session_idle_hours", self.session_idle_hours),
            ("session_max_hours", self.session_max_hours),
        ] {
            if !(1..=MAX_SESSION_HOURS).contains(&hours) {
                return Err(format!(
                    "{name} is {hours}: it must be between 1 and {MAX_SESSION_HOURS} (ten years)"
                ));
            }
        }
        if self.backup_every_hours > MAX_BACKUP_EVERY_HOURS {
            return Err(format!(
                "backup_every_hours is {}: it must be between 1 and {MAX_BACKUP_EVERY_HOURS} \
                 (a year), or 0 for no automatic backups",
                self.backup_every_hours
            ));
        }
        if self.backup_every_hours > 0 && self.backup_keep == 0 {
            return Err("backup_keep is 0: automatic backups must keep at least one".to_string());
        }
        Ok(())
    }

    /// How long signed-in sessions last.
    pub fn session_limits(&self) -> SessionLimits {
        SessionLimits::from_hours(self.session_idle_hours, self.session_max_hours)
    }

    /// The folder mail is written to when no SMTP URL is set.
    pub fn outbox(&self) -> PathBuf {
        self.data.join("outbox")
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
            .unwrap_or_else(|| self.public_url.starts_with("https://"))
    }
}

/// `postgres://user:secret@host/db` becomes `postgres://user:***@host/db`.
pub(crate) fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
// figment's `Jail` returns its own large error type; that is its API.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order_and_flags_win() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "presto.toml",
                "addr = \"127.0.0.1:9000\"\ncourses = \"from-file\"\ndata = \"file-data\"",
            )?;
            jail.set_env("PRESTO_COURSES", "from-env");
            jail.set_env("PRESTO_MAIL_RETRY_SECS", "2");
            let overrides = Overrides {
                data: Some(PathBuf::from("flag-data")),
                ..Overrides::default()
            };
            let settings = Settings::load(Path::new("presto.toml"), &overrides).unwrap();
            assert_eq!(settings.addr.port(), 9000, "file beats default");
            assert_eq!(
                settings.courses,
                PathBuf::from("from-env"),
                "env beats file"
            );
            assert_eq!(settings.data, PathBuf::from("flag-data"), "flag beats file");
            assert_eq!(settings.mail_retry_secs, 2);
            assert_eq!(settings.outbox(), PathBuf::from("flag-data/outbox"));
            assert!(
                settings.watch_courses,
                "the courses folder is watched by default"
            );
            assert!(
                settings
                    .database_url()
                    .starts_with("sqlite://flag-data/presto.db")
            );
            Ok(())
        });
    }

    #[test]
    fn watching_the_courses_folder_can_be_turned_off() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PRESTO_WATCH_COURSES", "false");
            jail.create_file("presto.toml", "upload_limit_mb = 5")?;
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert!(!settings.watch_courses);
            assert_eq!(settings.upload_limit_mb, 5);
            assert_eq!(settings.course_versions_kept, 5, "the default");
            jail.set_env("PRESTO_COURSE_VERSIONS_KEPT", "2");
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert_eq!(settings.course_versions_kept, 2);
            Ok(())
        });
    }

    #[test]
    fn a_broken_setting_names_the_key() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("presto.toml", "addr = \"not an address\"")?;
            let error = Settings::load(Path::new("presto.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(error.contains("addr"), "{error}");
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_come_from_a_list_or_the_environment_and_a_bad_one_stops() {
        figment::Jail::expect_with(|jail| {
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert!(settings.trusted_proxies.is_empty(), "none by default");
            jail.create_file("presto.toml", "trusted_proxies = [\"10.0.0.0/8\", \"::1\"]")?;
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert!(
                settings
                    .trusted_proxies
                    .contains("10.1.2.3".parse().unwrap())
            );
            assert!(settings.trusted_proxies.contains("::1".parse().unwrap()));
            jail.set_env("PRESTO_TRUSTED_PROXIES", "192.0.2.7, 198.51.100.0/24");
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert!(
                settings
                    .trusted_proxies
                    .contains("198.51.100.9".parse().unwrap())
            );
            assert!(
                !settings
                    .trusted_proxies
                    .contains("10.1.2.3".parse().unwrap())
            );
            jail.set_env("PRESTO_TRUSTED_PROXIES", "192.0.2.7, 198.51.100.0/33");
            let error = Settings::load(Path::new("presto.toml"), &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("trusted_proxies") && error.contains("198.51.100.0/33"),
                "{error}"
            );
            Ok(())
        });
    }

    #[test]
    fn session_limits_must_be_hours_that_make_sense() {
        let defaults = Settings::default();
        assert!(defaults.check().is_ok());
        assert_eq!(
            defaults.session_limits(),
            SessionLimits::from_hours(168, 720)
        );
        for broken in [
            Settings {
                session_idle_hours: 0,
                ..Settings::default()
            },
            Settings {
                session_max_hours: MAX_SESSION_HOURS + 1,
                ..Settings::default()
            },
        ] {
            let error = broken.check().unwrap_err();
            assert!(error.contains("session_"), "{error}");
        }
    }

    #[test]
    fn automatic_backups_are_off_by_default_and_checked_when_on() {
        figment::Jail::expect_with(|jail| {
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert_eq!(settings.backup_every_hours, 0, "off by default");
            assert_eq!(settings.backup_keep, 7);
            jail.create_file("presto.toml", "backup_every_hours = 24\nbackup_keep = 3")?;
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert_eq!((settings.backup_every_hours, settings.backup_keep), (24, 3));
            jail.set_env("PRESTO_BACKUP_KEEP", "0");
            let settings = Settings::load(Path::new("presto.toml"), &Overrides::default()).unwrap();
            assert_eq!(settings.backup_keep, 0, "the environment wins");
            let error = settings.check().unwrap_err();
            assert!(error.contains("backup_keep"), "{error}");
            let error = Settings {
                backup_every_hours: MAX_BACKUP_EVERY_HOURS + 1,
                ..Settings::default()
            }
            .check()
            .unwrap_err();
            assert!(error.contains("backup_every_hours"), "{error}");
            Ok(())
        });
    }

    #[test]
    fn passwords_stay_out_of_the_log() {
        let settings = Settings {
            database_url: "postgres://presto:hunter2@db/presto".into(),
            session_key: "secret".into(),
            mail_url: "smtp://presto:mailpass@smtp.example.org:587?tls=required".into(),
            ..Settings::default()
        };
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("secret") && !shown.contains("mailpass"),
            "{shown}"
        );
        assert!(
            shown.contains("smtp://presto:***@smtp.example.org:587"),
            "{shown}"
        );
    }
}
