//! The mail templates (`templates/email/`), compiled into the binary like
//! the page templates: HTML (escaped) and plain text (not), each string
//! through Fluent's `t()` in the recipient's language.

use crate::i18n::TeraTranslate;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "email/layout.html",
    "email/certificate.html",
    "email/certificate.txt",
    "email/password_reset.html",
    "email/password_reset.txt",
];

/// A broken template is a start-up error that names the file.
pub fn build() -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())?;
    // Only HTML is escaped: a name like "O'Brien & Sons" stays as written
    // in the plain text part.
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(crate::web::templates::escape_html);
    tera.register_function("t", TeraTranslate);
    Ok(tera)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_mail_template_parses() {
        if let Err(e) = super::build() {
            panic!("{e:?}");
        }
    }
}
