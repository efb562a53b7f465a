//! Where mail goes: an SMTP server, or by default `.eml` files in the
//! outbox folder, so a fresh install works offline and nothing is lost
//! before someone sets up SMTP.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    transport::{file, smtp},
};

use crate::config::Settings;

/// How long one SMTP step (connect, a command, the data) may take. The
/// worker's lease on a mail is longer than a whole send.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

pub enum Transport {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// `host:port`, for the log (never the URL: it may hold a password).
        server: String,
    },
    Outbox {
        transport: AsyncFileTransport<Tokio1Executor>,
        folder: PathBuf,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the mail server did not take the mail: {0}")]
    Smtp(#[from] smtp::Error),
    #[error("the mail could not be written to the outbox: {0}")]
    Outbox(#[from] file::Error),
}

impl Transport {
    /// SMTP when `mail_url` is set, else the outbox folder (made owner-only:
    /// mails hold reset links).
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Transport> {
        let url = settings.mail_url.trim();
        if url.is_empty() {
            let folder = settings.outbox();
            create_private_folder(&folder)?;
            return Ok(Transport::Outbox {
                transport: AsyncFileTransport::new(&folder),
                folder,
            });
        }
        let parsed =
            url::Url::parse(url).map_err(|e| anyhow::anyhow!("mail_url is not a URL ({e})"))?;
        let server = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed
                .port()
                .map_or_else(|| "default port".to_string(), |p| p.to_string())
        );
        // lettre's message names the scheme or the TLS setting, never the
        // password.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| {
                anyhow::anyhow!(
                    "mail_url must be smtp://host:port, smtp://user:password@host:587?tls=required \
                     or smtps://user:password@host ({e})"
                )
            })?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Transport::Smtp { transport, server })
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
            Transport::Outbox { transport, .. } => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }

    /// For the log at start-up.
    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp { server, .. } => format!("SMTP server {server}"),
            Transport::Outbox { folder, .. } => {
                format!("outbox folder {} (no mail_url set)", folder.display())
            }
        }
    }
}

fn create_private_folder(folder: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(folder)
        .with_context(|| format!("cannot create the mail outbox {}", folder.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_url(url: &str) -> Settings {
        Settings {
            mail_url: url.into(),
            ..Settings::default()
        }
    }

    #[test]
    fn smtp_urls_of_every_documented_form_are_understood() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://presto:secret@mail.example.org:587?tls=required",
            "smtps://presto:secret@mail.example.org",
        ] {
            let transport = Transport::from_settings(&with_url(url)).unwrap();
            assert!(matches!(transport, Transport::Smtp { .. }), "{url}");
            assert!(!transport.describe().contains("secret"));
        }
    }

    #[test]
    fn a_wrong_url_says_what_is_expected_without_the_password() {
        for url in ["http://presto:secret@mail.example.org", "not a url"] {
            let error = match Transport::from_settings(&with_url(url)) {
                Ok(_) => panic!("{url} accepted"),
                Err(e) => format!("{e:#}"),
            };
            assert!(error.contains("mail_url"), "{error}");
            assert!(!error.contains("secret"), "{error}");
        }
    }

    #[test]
    fn without_a_url_mail_goes_to_a_private_outbox() {
        let data = tempfile::TempDir::new().unwrap();
        let settings = Settings {
            data: data.path().to_path_buf(),
            ..Settings::default()
        };
        let transport = Transport::from_settings(&settings).unwrap();
        assert!(matches!(transport, Transport::Outbox { .. }));
        let outbox = data.path().join("outbox");
        assert!(outbox.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&outbox).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }
}
