//! One Tera instance, built at start-up from the templates compiled into the
//! binary. A broken template is a start-up error that names the file.

use crate::i18n::TeraTranslate;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Every page template, by name.
const TEMPLATES: &[(&str, &str)] = templates![
    "layout.html",
    "error.html",
    "home.html",
    "course.html",
    "glossary.html",
    "lesson.html",
    "quiz.html",
    "attempt.html",
    "login.html",
    "register.html",
    "setup.html",
    "progress.html",
    "admin.html",
    "macros.html",
    "account_fields.html",
    "profile_fields.html",
    "certificates.html",
    "verify.html",
    "verify_form.html",
    "verify_fields.html",
    "verify_missing.html",
    "manage_certificates.html",
    "quiz_questions.html",
    "authoring.html",
    "authoring_upload.html",
    "authoring_editor.html",
    "authoring_results.html",
    "authoring_diagnostics.html",
    "authoring_authors.html",
    "authoring_versions.html",
    "authoring_restore.html",
    "classes.html",
    "class_new.html",
    "class.html",
    "class_import_form.html",
    "class_import.html",
    "class_edit.html",
    "class_archived.html",
    "class_register.html",
    "class_join.html",
    "login_cards.html",
    "password_forgot.html",
    "password_reset.html",
    "class_progress.html",
    "report_filters.html",
    "reports.html",
    "funder.html",
    "learners.html",
    "learner.html",
    "confirm.html",
    "account.html",
    "live_bars.html",
    "live_waiting.html",
    "live_learner.html",
    "live_tutor.html",
];

pub fn build() -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())?;
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    tera.register_function("t", TeraTranslate);
    Ok(tera)
}

/// HTML escaping for text and attribute values. Tera's default also
/// escapes `/`, which makes every URL in a page longer and harder to read
/// for no gain inside quoted attributes.
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        if let Err(e) = super::build() {
            panic!("{e:?}");
        }
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            super::escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
