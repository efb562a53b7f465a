//! A queue row becomes a message: plain text and HTML from the templates in
//! the recipient's language, the certificate PDF attached, and a
//! `Message-ID` made from the row, so a copy sent again after a crash is
//! recognisably the same mail.

use anyhow::Context as _;
use lettre::Message;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};

use crate::certificate::issued::{self, Status};
use crate::config::Settings;
use crate::course::Sectors;
use crate::domain::certificate_id::CertificateId;
use crate::i18n::{self, DEFAULT_LANGUAGE, Language};
use crate::store::Store;
use crate::store::mail::{MailContent, QueuedMail};

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// The mail can never be made (its certificate is gone, the address
    /// is not one): give it up now rather than retry for days.
    #[error("{0}")]
    Permanent(String),
    /// It may work later (the database was away, a bug fixed by a new
    /// version): retry.
    #[error(transparent)]
    Transient(#[from] anyhow::Error),
}

/// Makes messages; built once at start-up.
pub struct Composer {
    templates: tera::Tera,
    from: Mailbox,
    public_url: String,
    /// The right-hand side of Message-IDs: the site's host name.
    id_domain: String,
    /// The courses folder, whose `sectors.toml` names the sector on a
    /// certificate (read when one is sent: the worker has no catalogue).
    courses: std::path::PathBuf,
}

impl Composer {
    /// Fails at start-up on a broken template or a `mail_from` that is not
    /// an address.
    pub fn new(settings: &Settings) -> anyhow::Result<Composer> {
        let templates = super::templates::build().context("a mail template is broken")?;
        let from: Mailbox = settings.mail_from.parse().with_context(|| {
            format!(
                "mail_from {:?} is not an address like `Presto <presto@example.org>`",
                settings.mail_from
            )
        })?;
        let public_url = settings.public_url();
        let id_domain = url::Url::parse(&public_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_string))
            .unwrap_or_else(|| "presto.invalid".to_string());
        Ok(Composer {
            templates,
            from,
            public_url,
            id_domain,
            courses: settings.courses.clone(),
        })
    }

    /// The same for every try of one queued mail, different for every
    /// other mail (the row id alone could repeat in a fresh database).
    pub fn message_id(&self, mail: &QueuedMail) -> String {
        format!(
            "<presto.mail.{}.{}@{}>",
            mail.id,
            mail.created_at.timestamp_micros(),
            self.id_domain
        )
    }

    pub async fn compose(&self, store: &Store, mail: &QueuedMail) -> Result<Message, ComposeError> {
        let content = MailContent::of(mail).map_err(|e| ComposeError::Permanent(e.to_string()))?;
        let language = i18n::language(&mail.language).unwrap_or(DEFAULT_LANGUAGE);
        let mut context = tera::Context::new();
        context.insert("lang", language.code);
        context.insert("html_lang", language.html_lang);
        context.insert("dir", language.dir);
        context.insert("name", &mail.recipient_name);
        context.insert("organisation", store.organisation());
        let (kind, subject, attachment) = match content {
            MailContent::Certificate { certificate_id } => {
                let (subject, pdf) = self
                    .certificate(store, &certificate_id, language, &mut context)
                    .await?;
                ("certificate", subject, Some(pdf))
            }
            MailContent::PasswordReset { token, username } => {
                if token.is_empty() {
                    return Err(ComposeError::Permanent(
                        "the reset link was already sent and blanked".into(),
                    ));
                }
                context.insert("username", &username);
                context.insert(
                    "reset_url",
                    &format!("{}/password/reset/{token}", self.public_url),
                );
                let subject = i18n::text(language.code, "mail-reset-subject");
                ("password_reset", subject, None)
            }
        };
        context.insert("subject", &subject);
        let text = self.render(&format!("email/{kind}.txt"), &context)?;
        let html = self.render(&format!("email/{kind}.html"), &context)?;
        self.message(mail, &subject, text, html, attachment)
    }

    /// Fills in the certificate's part of the context; the subject and the
    /// PDF attachment.
    async fn certificate(
        &self,
        store: &Store,
        certificate_id: &str,
        language: Language,
        context: &mut tera::Context,
    ) -> Result<(String, SinglePart), ComposeError> {
        let id = CertificateId::parse(certificate_id).map_err(|e| {
            ComposeError::Permanent(format!("certificate id {certificate_id:?}: {e}"))
        })?;
        let certificate = store
            .certificate(&id)
            .await
            .context("reading the certificate")?
            .ok_or_else(|| ComposeError::Permanent(format!("certificate {id} no longer exists")))?;
        if let Status::Revoked { .. } = Status::of(&certificate, chrono::Utc::now()) {
            return Err(ComposeError::Permanent(format!(
                "certificate {id} was revoked before its mail went"
            )));
        }
        let written_id = issued::written_id(&certificate);
        context.insert("course", &certificate.course_title);
        context.insert("certificate_id", &written_id);
        context.insert(
            "verify_url",
            &issued::verify_url(&self.public_url, &certificate),
        );
        let mut args = std::collections::HashMap::new();
        args.insert("course".into(), certificate.title.clone().into());
        let subject = i18n::text_with(language.code, "mail-certificate-subject", &args);
        // Shaping and laying out the PDF is CPU work: off the async threads.
        let public_url = self.public_url.clone();
        let courses = self.courses.clone();
        let pdf = tokio::task::spawn_blocking(move || {
            // A mistake in sectors.toml is the server's log's to tell.
            let (sectors, _) = Sectors::load(&courses, "");
            issued::pdf(&certificate, &sectors, &public_url)
        })
        .await
        .context("the PDF task stopped")?
        .context("rendering the certificate PDF")?;
        let content_type = ContentType::parse("application/pdf")
            .map_err(|e| anyhow::anyhow!("content type: {e}"))?;
        let attachment =
            Attachment::new(format!("certificate-{written_id}.pdf")).body(pdf, content_type);
        Ok((subject, attachment))
    }

    fn render(&self, name: &str, context: &tera::Context) -> Result<String, ComposeError> {
        self.templates
            .render(name, context)
            .with_context(|| format!("mail template {name}"))
            .map_err(ComposeError::Transient)
    }

    fn message(
        &self,
        mail: &QueuedMail,
        subject: &str,
        text: String,
        html: String,
        attachment: Option<SinglePart>,
    ) -> Result<Message, ComposeError> {
        let address = mail.recipient_address.parse().map_err(|e| {
            ComposeError::Permanent(format!(
                "{:?} is not an email address: {e}",
                mail.recipient_address
            ))
        })?;
        let to = Mailbox::new(Some(mail.recipient_name.clone()), address);
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(self.message_id(mail)));
        let body = MultiPart::alternative_plain_html(text, html);
        let body = match attachment {
            Some(attachment) => MultiPart::mixed().multipart(body).singlepart(attachment),
            None => body,
        };
        builder
            .multipart(body)
            .map_err(|e| ComposeError::Permanent(format!("the message cannot be built: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(id: i32) -> QueuedMail {
        QueuedMail {
            id,
            user_id: None,
            recipient_address: "amina@example.org".into(),
            recipient_name: "أمينة خان".into(),
            language: "ar".into(),
            kind: "password_reset".into(),
            payload: r#"{"token":"abc","username":"amina"}"#.into(),
            created_at: crate::store::now(),
            attempts: 0,
            next_attempt_at: crate::store::now(),
            claimed_until: None,
            claim_token: None,
            last_error: None,
            sent_at: None,
            failed_at: None,
        }
    }

    #[test]
    fn message_ids_are_stable_per_row_and_differ_between_rows() {
        let settings = Settings {
            public_url: "https://learn.example.org/".into(),
            ..Settings::default()
        };
        let composer = Composer::new(&settings).unwrap();
        let mail = queued(42);
        assert_eq!(composer.message_id(&mail), composer.message_id(&mail));
        assert!(composer.message_id(&mail).ends_with("@learn.example.org>"));
        assert_ne!(composer.message_id(&mail), composer.message_id(&queued(43)));
    }

    #[test]
    fn a_sender_that_is_not_an_address_stops_start_up() {
        let settings = Settings {
            mail_from: "Presto".into(),
            ..Settings::default()
        };
        let error = match Composer::new(&settings) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.to_string(),
        };
        assert!(error.contains("mail_from"), "{error}");
    }
}
